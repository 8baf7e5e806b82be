/** `vi` / `vim`: the editor on the shell's filesystem, full screen in the terminal (alternate screen, raw keys). */
import type { CommandContext } from '../../userland/command.ts';
import { FsError } from '../../userland/fs/virtual-fs.ts';
import { ViEditor } from './editor.ts';
import { splitKeys } from './keys.ts';
import { render } from './render.ts';
import { firstNonBlank } from './text.ts';

const ENTER_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J';
const LEAVE_SCREEN = '\x1b[?1049l';

/** Vim options that take a value (`vim -u NONE file`); other options are accepted and ignored. */
const WITH_VALUE = new Set(['-u', '-U', '-c', '-S', '-i', '-T', '-w', '-W', '-s', '-t', '-q', '--cmd']);

function parseArgs(args: string[]): { names: string[]; jump: string | undefined } {
  const names: string[] = [];
  let jump: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      names.push(...args.slice(i + 1));
      break;
    }
    if (WITH_VALUE.has(a)) i++;
    else if (a.startsWith('+')) jump = a;
    else if (!a.startsWith('-')) names.push(a);
  }
  return { names, jump };
}

export async function vi(ctx: CommandContext): Promise<number> {
  const { names, jump } = parseArgs(ctx.argv.slice(1));
  const raw = ctx.terminal.isTTY ? ctx.terminal.raw?.() : undefined;
  if (!raw) {
    await ctx.stderr.write('Vim: Warning: Output is not to a terminal\n');
    return 1;
  }
  const fs = ctx.fs;
  const at = (name: string) => fs.resolve(ctx.cwd, name);
  const name = names[0];
  let text: string | undefined;
  let opening: string | undefined;
  if (name !== undefined) {
    if (fs.isDir(at(name))) opening = `"${name}" is a directory`;
    else if (fs.exists(at(name))) text = fs.readFile(at(name));
  }
  const editor = new ViEditor({
    text,
    name,
    now: ctx.now,
    files: {
      exists: (n) => fs.exists(at(n)),
      write: (n, content) => {
        if (fs.isDir(at(n))) throw new FsError('EISDIR', at(n));
        fs.writeFile(at(n), content);
      },
    },
  });
  if (opening) editor.info(opening);
  if (jump !== undefined) {
    const line = jump === '+' ? editor.lines.length : Number(jump.slice(1));
    if (Number.isInteger(line)) editor.setCursor(line - 1, 0);
    editor.setCursor(editor.row, firstNonBlank(editor.line));
  }
  const draw = (clear = false) => raw.write((clear ? '\x1b[H\x1b[2J' : '') + render(editor, raw.columns, raw.rows));
  raw.write(ENTER_SCREEN);
  draw();
  let stop = () => {};
  const status = await new Promise<number>((resolve) => {
    const done = () => resolve(editor.exitStatus ?? 1);
    stop = () => ctx.signal.removeEventListener('abort', done);
    raw.onInput((data) => {
      for (const key of splitKeys(data)) {
        if (key === '<C-l>' && editor.mode !== 'insert') { draw(true); continue; }
        editor.feed(key);
        if (editor.exitStatus !== undefined) return done();
      }
      draw();
    });
    raw.onResize(() => draw(true));
    if (ctx.signal.aborted) done();
    ctx.signal.addEventListener('abort', done, { once: true });
  });
  stop();
  raw.write(LEAVE_SCREEN);
  raw.release();
  return status;
}
