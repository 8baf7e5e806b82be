import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineEditor } from '../../../src-main/shell/line-editor.ts';
import { VirtualFs } from '../../../src-main/userland/fs/virtual-fs.ts';
import { makeShell, tick } from './helpers.ts';

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await tick();
  assert.ok(cond(), 'condition not reached');
}

test('prompt follows cwd like root@master:~/k8s_lab/service#', async () => {
  const { shell, output } = makeShell();
  shell.start();
  assert.equal(output(), 'root@master:~# ');
  shell.input('mkdir -p k8s_lab/service && cd k8s_lab/service\r');
  await until(() => output().endsWith('root@master:~/k8s_lab/service# '));
});

test('Ctrl-C aborts a running sleep with status 130 and the prompt returns', async () => {
  const { shell, output } = makeShell();
  shell.input('sleep 100; echo after\r');
  await until(() => shell.busy);
  await tick();
  shell.input('\x03');
  await until(() => !shell.busy);
  assert.ok(output().includes('^C\r\n'), JSON.stringify(output()));
  assert.ok(!output().includes('\r\nafter'));
  assert.ok(output().endsWith('root@master:~# '));
  assert.equal(shell.state.lastStatus, 130);
});

test('sleep finishes when the clock advances', async () => {
  const { shell, clock, output } = makeShell();
  shell.input('sleep 2 && echo woke\r');
  await until(() => shell.busy);
  await tick();
  clock.advance(2000);
  await until(() => output().includes('woke'));
});

test('watch redraws with its header every interval and stops on Ctrl-C', async () => {
  const { shell, clock, output } = makeShell();
  shell.input('watch -n 1 echo hi\r');
  await until(() => output().includes('Every 1.0s: echo hi'));
  assert.match(output(), /\x1b\[H\x1b\[2JEvery 1\.0s: echo hi +master: Thu Jan  1 00:00:00 UTC 2026\r\n\r\nhi/);
  clock.advance(1000);
  await until(() => output().includes('00:00:01 UTC 2026'));
  shell.input('\x03');
  await until(() => !shell.busy);
  assert.equal(shell.state.lastStatus, 130);
});

test('unfinished constructs continue with "> " and run as one command', async () => {
  const { shell, output } = makeShell();
  shell.input('for i in 1 2; do\r');
  await until(() => output().endsWith('> '));
  shell.input('echo "v$i"\r');
  await until(() => output().endsWith('> '));
  shell.input('done\r');
  await until(() => output().includes('v1\r\nv2\r\n'));
  shell.input('cat <<EOF\rline\rEOF\r');
  await until(() => output().includes('line\r\nroot@master'));
  assert.equal(shell.state.history.at(-2), 'for i in 1 2; do\necho "v$i"\ndone');
});

test('Ctrl-D on an empty line exits; exit N reports N', async () => {
  const a = makeShell();
  let status = -1;
  a.shell.onExit((s) => (status = s));
  a.shell.input('\x04');
  assert.equal(status, 0);
  assert.equal(a.output(), 'logout\r\n', 'a login bash says logout on Ctrl-D');
  const b = makeShell();
  b.shell.onExit((s) => (status = s));
  b.shell.input('exit 7\r');
  await until(() => status === 7);
});

test('line editor: insert, cursor keys, home/end, Ctrl-U/K/W, backspace', () => {
  const ed = new LineEditor(() => []);
  ed.feed('hello');
  ed.feed('\x1b[D\x1b[DXY');
  assert.equal(ed.buffer, 'helXYlo');
  ed.feed('\x01>');
  assert.equal(ed.buffer, '>helXYlo');
  ed.feed('\x05\x7f');
  assert.equal(ed.buffer, '>helXYl');
  ed.feed(' word\x17');
  assert.equal(ed.buffer, '>helXYl ');
  ed.feed('\x01\x1b[C\x0b');
  assert.equal(ed.buffer, '>');
  ed.feed('abc\x1b[D\x15');
  assert.equal(ed.buffer, 'c');
  assert.equal(ed.cursor, 0);
  const { events } = ed.feed('\r');
  assert.deepEqual(events, [{ kind: 'submit', line: 'c' }]);
});

test('line editor: history up/down restores the draft', () => {
  const ed = new LineEditor(() => ['first', 'second']);
  ed.feed('draft');
  ed.feed('\x1b[A');
  assert.equal(ed.buffer, 'second');
  ed.feed('\x1b[A');
  assert.equal(ed.buffer, 'first');
  ed.feed('\x1b[B\x1b[B');
  assert.equal(ed.buffer, 'draft');
});

test('session: Ctrl-C clears the line, Ctrl-L clears the screen, tab completes commands and files', async () => {
  const { shell, fs, output } = makeShell();
  fs.writeFile('/root/service.yaml', '');
  shell.input('abc\x03');
  assert.ok(output().endsWith('abc^C\r\nroot@master:~# '));
  shell.input('\x0c');
  assert.ok(output().endsWith('\x1b[H\x1b[2Jroot@master:~# '));
  shell.input('ech\t');
  shell.input('ser\t');
  shell.input('\r');
  await until(() => output().includes('service.yaml\r\nroot@master'));
});

test('history is persisted through the hook', async () => {
  let saved: string[] = [];
  const fs = new VirtualFs();
  const { ShellSession } = await import('../../../src-main/shell/session.ts');
  const { registerGenericTools } = await import('../../../src-main/userland/tools/index.ts');
  const shell = new ShellSession({ fs, registry: registerGenericTools(), onHistoryChange: (h) => (saved = [...h]) });
  shell.input('echo 1\r');
  await until(() => saved.length === 1);
  assert.deepEqual(saved, ['echo 1']);
});

test('virtual fs: JSON round trip, onChange, mounts are not serialised', () => {
  const fs = new VirtualFs({ now: () => 0 });
  let changes = 0;
  fs.onChange(() => changes++);
  fs.mkdir('/root/k8s_lab', { recursive: true });
  fs.writeFile('/root/k8s_lab/a.yaml', 'kind: Pod\n');
  fs.mountFile('/etc/hostname', { read: () => 'master\n' });
  assert.ok(changes >= 2);
  assert.equal(fs.readFile('/etc/hostname'), 'master\n');
  const copy = VirtualFs.fromJSON(JSON.parse(JSON.stringify(fs)));
  assert.equal(copy.readFile('/root/k8s_lab/a.yaml'), 'kind: Pod\n');
  assert.equal(copy.exists('/etc/hostname'), false);
  assert.equal(fs.resolve('/tmp', '~/k8s_lab/../x'), '/root/x');
});

test('type-ahead during a running command becomes the next command line, as with a real tty', async () => {
  const { makeShell, tick } = await import('./helpers.ts');
  const h = makeShell();
  h.shell.start();
  h.shell.input('sleep 5\r');
  await tick();
  h.shell.input('echo typed-ahead\r');
  h.shell.input('echo par');
  h.clock.advance(5000);
  for (let i = 0; i < 20; i++) await tick();
  h.shell.input('tial\r');
  for (let i = 0; i < 20; i++) await tick();
  const screen = h.output();
  assert.match(screen, /\r\ntyped-ahead\r\n/);
  assert.match(screen, /\r\npartial\r\n/);
});

test('exit in a terminal says logout (a login shell); without a terminal it says nothing', async () => {
  const { makeShell, tick } = await import('./helpers.ts');
  const h = makeShell();
  let status = -1;
  h.shell.onExit((s) => (status = s));
  h.shell.input('exit 4\r');
  for (let i = 0; i < 20 && status < 0; i++) await tick();
  assert.equal(status, 4);
  assert.ok(h.output().endsWith('exit 4\r\nlogout\r\n'), JSON.stringify(h.output()));
  assert.deepEqual(await makeShell().shell.runLine('exit 5'), { status: 5, stdout: '', stderr: '' });
});

test('tab: an ambiguous word rings the bell on the first Tab and lists the candidates on the second, as readline', async () => {
  const { shell, fs, output } = makeShell();
  fs.writeFile('/root/svc-a.yaml', '');
  fs.writeFile('/root/svc-b.yaml', '');
  shell.input('cat svc\t');
  assert.ok(output().endsWith('cat svc-'), JSON.stringify(output()));
  shell.input('\t');
  assert.ok(output().endsWith('cat svc-\x07'));
  shell.input('\t');
  assert.ok(output().endsWith('cat svc-\x07\r\nsvc-a.yaml  svc-b.yaml\r\nroot@master:~# cat svc-'), JSON.stringify(output()));
  shell.input('x\t\t');
  assert.ok(output().endsWith('cat svc-x\x07\x07'), 'nothing matches: the bell each time');
});
