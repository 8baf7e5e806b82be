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
