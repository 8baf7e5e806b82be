import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeShell, run } from './helpers.ts';

test('pipes stream between commands and report the last status', async () => {
  const { shell } = makeShell();
  assert.deepEqual(await run(shell, 'echo hello | grep -c hel'), { status: 0, stdout: '1\n', stderr: '' });
  assert.equal((await run(shell, 'echo hello | grep nope')).status, 1);
  assert.equal((await run(shell, 'yes | head -n 3')).stdout, 'y\ny\ny\n');
});

test('heredoc into a command expands variables; quoted delimiter does not', async () => {
  const { shell } = makeShell();
  await run(shell, 'name=web');
  assert.equal((await run(shell, 'cat <<EOF | tr a-z A-Z\nkind: $name\nEOF')).stdout, 'KIND: WEB\n');
  assert.equal((await run(shell, "cat <<'EOF'\n$name\nEOF")).stdout, '$name\n');
  assert.equal((await run(shell, 'cat <<< "x $name"')).stdout, 'x web\n');
});

test('loops with $(seq), while, until, break', async () => {
  const { shell } = makeShell();
  assert.equal((await run(shell, 'for i in $(seq 1 3); do echo "n=$i"; done')).stdout, 'n=1\nn=2\nn=3\n');
  assert.equal((await run(shell, 'i=0; while [ $i -lt 5 ]; do i=$((i+1)); [ $i -eq 3 ] && break; done; echo $i')).stdout, '3\n');
  assert.equal((await run(shell, 'n=0; until [ $n -ge 2 ]; do n=$((n+1)); done; echo $n')).stdout, '2\n');
  assert.equal((await run(shell, 'for ((i=0;i<3;i++)); do printf "%d" $i; done')).stdout, '012');
});

test('exit codes, $?, && || ! and command not found', async () => {
  const { shell } = makeShell();
  assert.deepEqual(await run(shell, 'foo; echo $?'), { status: 0, stdout: '127\n', stderr: 'bash: foo: command not found\n' });
  assert.equal((await run(shell, 'false && echo no || echo fallback')).stdout, 'fallback\n');
  assert.equal((await run(shell, '! true; echo $?')).stdout, '1\n');
  assert.equal((await run(shell, '(exit 4); echo $?')).stdout, '4\n');
  assert.equal((await run(shell, 'exit 3')).status, 3);
});

test('syntax errors and cd errors are worded like bash', async () => {
  const { shell } = makeShell();
  assert.deepEqual(await run(shell, 'echo )'), { status: 2, stdout: '', stderr: "bash: syntax error near unexpected token `)'\n" });
  assert.equal((await run(shell, 'cd nope')).stderr, 'bash: cd: nope: No such file or directory\n');
});

test('parameter expansion, quoting, arithmetic, command substitution', async () => {
  const { shell } = makeShell();
  await run(shell, 'x=5; s="a b"');
  assert.equal((await run(shell, 'echo $((x*2)) ${y:-def} ${#s} "${s}" \'$x\' $\'t\\tu\' `echo bt` $(echo cs)')).stdout, '10 def 3 a b $x t\tu bt cs\n');
  assert.equal((await run(shell, 'v=file.tar.gz; echo ${v%%.*} ${v#*.} ${v/tar/zip}')).stdout, 'file tar.gz file.zip.gz\n');
  assert.equal((await run(shell, 'set -- a b c; echo $# $2 "$@"')).stdout, '3 b a b c\n');
});

test('functions, case, if/elif/else, brace groups, subshells', async () => {
  const { shell } = makeShell();
  assert.equal((await run(shell, 'f() { local v=in; echo "args $# $1 $v"; return 3; }; v=out; f x y; echo $? $v')).stdout, 'args 2 x in\n3 out\n');
  assert.equal((await run(shell, 'case abc in a*) echo yes;; *) echo no;; esac')).stdout, 'yes\n');
  assert.equal((await run(shell, 'if false; then echo 1; elif true; then echo 2; else echo 3; fi')).stdout, '2\n');
  assert.equal((await run(shell, '{ echo a; echo b; } | wc -l')).stdout, '2\n');
  assert.equal((await run(shell, 'z=1; (z=2; cd /tmp); echo $z; pwd')).stdout, '1\n/root\n');
});

test('redirections to files, append, 2>&1, &>, /dev/null, <', async () => {
  const { shell, fs } = makeShell();
  await run(shell, 'echo one > out.txt; echo two >> out.txt');
  assert.equal(fs.readFile('/root/out.txt'), 'one\ntwo\n');
  await run(shell, 'nosuch 2>&1 > /dev/null; ls missing &> err.txt');
  assert.equal(fs.readFile('/root/err.txt'), "ls: cannot access 'missing': No such file or directory\n");
  assert.equal((await run(shell, 'nosuch 2>/dev/null; echo $?')).stdout, '127\n');
  assert.equal((await run(shell, 'wc -l < out.txt')).stdout, '2\n');
  assert.equal((await run(shell, 'cat < nope')).stderr, 'bash: nope: No such file or directory\n');
});

test('globbing against the virtual fs and set -e', async () => {
  const { shell } = makeShell();
  await run(shell, 'touch a.yaml b.yaml c.txt');
  assert.equal((await run(shell, 'echo *.yaml')).stdout, 'a.yaml b.yaml\n');
  assert.equal((await run(shell, 'echo *.none')).stdout, '*.none\n');
  assert.deepEqual(await run(shell, 'set -e; echo a; false; echo b'), { status: 1, stdout: 'a\n', stderr: '' });
});

test('brace expansion: lists, sequences with steps and padding, letters, nested in words; not when quoted', async () => {
  const { shell } = makeShell();
  assert.equal((await run(shell, 'echo a{b,c}d {1..3} {05..1..2} {a..c}{1,2}')).stdout, 'abd acd 1 2 3 05 03 01 a1 a2 b1 b2 c1 c2\n');
  assert.equal((await run(shell, 'for i in {1..3}; do echo -n "$i "; done; echo')).stdout, '1 2 3 \n');
  assert.equal((await run(shell, 'x=v; echo "{1..2}" {x} {$x,y} ~/{a,b}.yaml')).stdout, '{1..2} {x} v y /root/a.yaml /root/b.yaml\n');
  assert.equal((await run(shell, "awk 'BEGIN { print 1 }'")).stdout, '1\n', 'braces inside quotes are the program\'s');
});

test('time reports the wall time on the shell clock to stderr; bash -c, bash FILE and | sh run a child shell', async () => {
  const { shell, clock } = makeShell();
  const timing = run(shell, 'time sleep 2');
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  clock.advance(2000);
  assert.deepEqual(await timing, { status: 0, stdout: '', stderr: '\nreal\t0m2.000s\nuser\t0m0.000s\nsys\t0m0.000s\n' });
  assert.equal((await run(shell, 'export X=1; bash -c "echo \\$X; exit 3"; echo $?')).stdout, '1\n3\n');
  assert.equal((await run(shell, 'echo "echo from-file" > s.sh; bash s.sh; echo "echo piped" | sh')).stdout, 'from-file\npiped\n');
  assert.deepEqual(await run(shell, 'bash nope.sh'), { status: 127, stdout: '', stderr: 'bash: nope.sh: No such file or directory\n' });
});

test('indexed arrays: (…) with splitting and $(…), [@] as separate words, [*], ${#a[@]}, a[i]=, +=, sparse', async () => {
  const { shell } = makeShell();
  assert.equal((await run(shell, 'pods=(web-1 "b c" $(echo d e)); echo ${pods[1]} ${#pods[@]} $pods; for p in "${pods[@]}"; do echo "[$p]"; done')).stdout,
    'b c 4 web-1\n[web-1]\n[b c]\n[d]\n[e]\n');
  assert.equal((await run(shell, 'a=(1 2); a+=(3); a[5]=6; echo "${a[*]}" ${#a[@]}; i=1; echo ${a[i+1]} ${#a[0]}; a+=(7); echo ${a[6]}')).stdout, '1 2 3 6 4\n3 1\n7\n');
  assert.equal((await run(shell, 'b=(q w); b=z; echo ${b[@]}; (b[0]=9); echo ${b[0]}')).stdout, 'z w\nz\n');
});
