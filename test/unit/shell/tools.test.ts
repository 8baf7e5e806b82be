import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeShell, run } from './helpers.ts';

const cases: [string, string, number?][] = [
  ['echo -n a; echo -e "b\\tc"', 'ab\tc\n'],
  ['printf "%s-%03d\\n" a 5 b 6', 'a-005\nb-006\n'],
  ['seq 2 2 6', '2\n4\n6\n'],
  ['seq 3 -1 1', '3\n2\n1\n'],
  ['seq -s, -w 8 10', '08,09,10\n'],
  ['sleep 0 && echo slept', 'slept\n'],
  ['printf "c\\nb\\na\\n" | sort', 'a\nb\nc\n'],
  ['printf "10\\n9\\n100\\n" | sort -n -r', '100\n10\n9\n'],
  ['printf "x 2\\ny 1\\n" | sort -k 2', 'y 1\nx 2\n'],
  ['printf "a\\na\\nb\\n" | uniq -c', '      2 a\n      1 b\n'],
  ['printf "b\\na\\nb\\n" | sort -u', 'a\nb\n'],
  ['echo one:two:three | cut -d: -f2,3', 'two:three\n'],
  ['echo abcdef | cut -c2-4', 'bcd\n'],
  ['echo hello | tr a-z A-Z', 'HELLO\n'],
  ['echo hello | tr -d l', 'heo\n'],
  ['echo "hello world" | sed s/o/0/g', 'hell0 w0rld\n'],
  ['printf "a\\nb\\nc\\n" | sed -n -e 2p -e 3p', 'b\nc\n'],
  ['echo "x=1" | sed -E "s/(\\w)=(\\d)/\\2=\\1/"', '1=x\n'],
  ['echo a b c | awk \'{print $2, NF}\'', 'b 3\n'],
  ['printf "a:1\\nb:2\\n" | awk -F: \'BEGIN {t=0} $2 > 1 {print $1} {t += $2} END {printf "%d\\n", t}\'', 'b\n3\n'],
  ['printf "1\\n2\\n3\\n4\\n" | head -n 2', '1\n2\n'],
  ['printf "1\\n2\\n3\\n4\\n" | tail -n 2', '3\n4\n'],
  ['printf "a b\\nc\\n" | wc -l', '2\n'],
  ['echo "a b" | wc -w', '2\n'],
  ['echo abc | wc -c', '4\n'],
  ['printf "Foo\\nbar\\nfoo\\n" | grep -i -n foo', '1:Foo\n3:foo\n'],
  ['printf "a\\nb\\n" | grep -v a', 'b\n'],
  ['printf "ab1\\nc22\\n" | grep -o -E "[0-9]+"', '1\n22\n'],
  ['printf "a\\na\\n" | grep -c a', '2\n'],
  ['echo x | grep -q x && echo found', 'found\n'],
  ['printf "a -j X\\nb\\nc\\n" | grep -e "-j X" -e c', 'a -j X\nc\n'],
  ['printf "a\\nb\\nc\\n" | grep -ve a -e b', 'c\n'],
  ['printf "a.b\\naxb\\n" | grep -F -e a.b -e nothing', 'a.b\n'],
  ['echo \'{"a":[1,2],"n":"x"}\' | jq -c .a', '[1,2]\n'],
  ['echo \'{"n":"x"}\' | jq -r .n', 'x\n'],
  ['echo hello | base64', 'aGVsbG8K\n'],
  ['echo aGVsbG8= | base64 -d', 'hello'],
  ['echo a b | xargs -n1 echo x', 'x a\nx b\n'],
  ['echo data | tee t.txt; cat t.txt', 'data\ndata\n'],
  ['date', 'Thu Jan  1 00:00:00 UTC 2026\n'],
  ['date +%F', '2026-01-01\n'],
  ['mkdir -p d/e && touch d/e/f && ls d/e', 'f\n'],
  ['touch g; cp g h; mv h i; ls', 'g\ni\n'],
  ['mkdir x && rm x; echo $?', '1\n'],
  ['echo hi > f1; cat f1 nope', 'hi\n', 1],
  ['export A=1; env | grep ^A=', 'A=1\n'],
  ['unset HOME; echo ${HOME:-none}', 'none\n'],
  ['true; false; echo $?', '1\n'],
  ['clear', '\x1b[H\x1b[2J\x1b[3J'],
  ['help | grep -c kubectl', '0\n', 1],
];

for (const [line, expected, status] of cases) {
  test(`tool: ${line}`, async () => {
    const { shell } = makeShell();
    const r = await run(shell, line);
    assert.equal(r.stdout, expected, r.stderr);
    if (status !== undefined) assert.equal(r.status, status);
  });
}

test('tool errors are worded like GNU coreutils', async () => {
  const { shell } = makeShell();
  assert.equal((await run(shell, 'cat nope')).stderr, 'cat: nope: No such file or directory\n');
  assert.equal((await run(shell, 'rm nope')).stderr, "rm: cannot remove 'nope': No such file or directory\n");
  assert.equal((await run(shell, 'mkdir /root')).stderr, "mkdir: cannot create directory '/root': File exists\n");
  assert.equal((await run(shell, 'ls -z')).stderr, "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n");
  const jq = await run(shell, 'echo "{" | jq .');
  assert.equal(jq.status, 2);
  assert.match(jq.stderr, /jq: error \(at <stdin>|parse error/);
});

test('jq -e exit status follows the last output', async () => {
  const { shell } = makeShell();
  assert.equal((await run(shell, 'echo null | jq -e .')).status, 1);
  assert.equal((await run(shell, 'echo 1 | jq -e .')).status, 0);
});

test('ls -l prints mode, size and time', async () => {
  const { shell } = makeShell();
  await run(shell, 'echo data > f.txt');
  assert.equal((await run(shell, 'ls -l')).stdout, 'total 4\n-rw-r--r-- 1 root root 5 Jan  1 00:00 f.txt\n');
});
