import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualFs } from '../../../src-main/userland/fs/virtual-fs.ts';
import { ShellSession } from '../../../src-main/shell/session.ts';
import { registerGenericTools } from '../../../src-main/userland/tools/index.ts';
import { vi } from '../../../src-main/shell/vi/vi.ts';

function session() {
  const fs = new VirtualFs();
  const registry = registerGenericTools().register('vi', vi).register('vim', vi);
  const shell = new ShellSession({ fs, registry, columns: 40, rows: 10 });
  let out = '';
  let from = 0;
  shell.onOutput((d) => (out += d));
  shell.start();
  const until = async (re: RegExp): Promise<string> => {
    for (let i = 0; i < 500; i++) {
      if (re.test(out.slice(from))) return out.slice(from);
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`timed out waiting for ${re}; got ${JSON.stringify(out.slice(from))}`);
  };
  return { shell, fs, until, mark: () => void (from = out.length) };
}

test('vi takes the terminal: raw keys (Ctrl-C included), resize redraws, :wq writes and gives the prompt back', async () => {
  const { shell, fs, until, mark } = session();
  mark();
  shell.input('vim notes.txt\r');
  await until(/\x1b\[\?1049h[^]*"notes\.txt" \[New\][^]*1,0-1 {9}All/);
  mark();
  shell.input('ihello\x03');
  await until(/\x1b\[1;1Hhello\x1b\[K[^]*1,5 {11}All/);
  mark();
  shell.input('\x03');
  await until(/\x1b\[10;1H\x1b\[KType {2}:qa! {2}and press <Enter> to abando/);
  assert.equal(shell.busy, true, 'Ctrl-C goes to vi, not to the shell');
  mark();
  shell.resize(50, 12);
  await until(/\x1b\[2J[^]*\x1b\[11;1H\x1b\[94m~[^]*\x1b\[12;1H\x1b\[KType {2}:qa! {2}and press <Enter> to abandon all chan\x1b\[1;5H/);
  mark();
  shell.input(':wq\r');
  const screen = await until(/\x1b\[\?1049l[^]*# $/);
  assert.doesNotMatch(screen, /\^C/);
  assert.equal(fs.readFile('/root/notes.txt'), 'hello\n');
  mark();
  shell.input('cat notes.txt\r');
  await until(/hello\r\n[^]*# $/);
});

test('vi without a terminal warns and fails', async () => {
  const { shell } = session();
  const r = await shell.runLine('vi x');
  assert.deepEqual(r, { status: 1, stdout: '', stderr: 'Vim: Warning: Output is not to a terminal\n' });
});
