/** Applies a statement's redirections to its IO (files, /dev/null, fd duplication, here-documents). */
import type { TextOutput } from '../../userland/command.ts';
import { FsError, type VirtualFs } from '../../userland/fs/virtual-fs.ts';
import type { Expander } from './expand.ts';
import { nullOutput, stringInput, type ShellIO } from '../../userland/streams.ts';
import type { Redirect } from './ast.ts';
import { is, redirOps } from './syntax.ts';

export class RedirectFailure extends Error {}

/** Appends to a virtual file on every write, so `tail` and `cat` see output as it is produced. */
class FileOutput implements TextOutput {
  readonly closed = false;
  constructor(private readonly fs: VirtualFs, private readonly path: string) {}
  write(text: string): Promise<void> {
    if (text) this.fs.appendFile(this.path, text);
    return Promise.resolve();
  }
}

export async function openRedirects(redirs: Redirect[], io: ShellIO, ex: Expander, fs: VirtualFs, cwd: string): Promise<{ io: ShellIO; close(): void }> {
  if (redirs.length === 0) return { io, close: () => {} };
  const out: ShellIO = { ...io };
  const fds = new Map<number, TextOutput>([[1, io.stdout], [2, io.stderr]]);
  for (const r of redirs) {
    const op = redirOps.get(r.Op);
    const fd = r.N ? Number(r.N.Value) : op?.startsWith('<') ? 0 : 1;
    if (op === '<<' || op === '<<-') {
      const quoted = r.Word.Parts.some((p) => !is(p, 'Lit') || p.Value.includes('\\'));
      let body = await ex.heredoc(r.Hdoc, quoted);
      if (op === '<<-') body = body.replace(/^\t+/gm, '');
      out.stdin = stringInput(body);
      continue;
    }
    if (op === '<<<') {
      out.stdin = stringInput((await ex.single(r.Word)) + '\n');
      continue;
    }
    const target = await ex.single(r.Word);
    if (op === '<') {
      out.stdin = stringInput(readTarget(fs, cwd, target));
      continue;
    }
    if (op === '>&' || op === '<&') {
      if (/^\d+$/.test(target)) {
        const src = fds.get(Number(target));
        if (!src) throw new RedirectFailure(`${target}: Bad file descriptor`);
        fds.set(fd, src);
        continue;
      }
      if (target === '-') {
        fds.set(fd, nullOutput);
        continue;
      }
      if (!r.N) {
        const file = openOutput(fs, cwd, target, false);
        fds.set(1, file);
        fds.set(2, file);
        continue;
      }
      throw new RedirectFailure(`${target}: ambiguous redirect`);
    }
    if (op === '&>' || op === '&>>') {
      const file = openOutput(fs, cwd, target, op === '&>>');
      fds.set(1, file);
      fds.set(2, file);
      continue;
    }
    if (op === '>' || op === '>|' || op === '>>') {
      fds.set(fd, openOutput(fs, cwd, target, op === '>>'));
      continue;
    }
    throw new RedirectFailure(`${op}: redirection not supported`);
  }
  if (fds.get(1) !== io.stdout) out.tty = false;
  out.stdout = fds.get(1)!;
  out.stderr = fds.get(2)!;
  return { io: out, close: () => {} };
}

function openOutput(fs: VirtualFs, cwd: string, target: string, append: boolean): TextOutput {
  if (target === '/dev/null') return nullOutput;
  const path = fs.resolve(cwd, target);
  try {
    if (fs.isDir(path)) throw new FsError('EISDIR', path);
    if (!append || !fs.exists(path)) fs.writeFile(path, '');
  } catch (e) {
    if (e instanceof FsError) throw new RedirectFailure(`${target}: ${e.message}`);
    throw e;
  }
  return new FileOutput(fs, path);
}

function readTarget(fs: VirtualFs, cwd: string, target: string): string {
  if (target === '/dev/null') return '';
  try {
    return fs.readFile(fs.resolve(cwd, target));
  } catch (e) {
    if (e instanceof FsError) throw new RedirectFailure(`${target}: ${e.message}`);
    throw e;
  }
}
