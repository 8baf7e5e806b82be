/**
 * The lab shell's text tools (grep, head, tail, wc, sort, uniq, cut, tr, sed, awk, tee, base64, seq) as applets of
 * the images' own shell, for what a container runs itself (its command, exec probes): one implementation for both.
 * Each run sees the container's files through a throw-away VirtualFs; what a tool writes (tee) goes back to them.
 */
import type { Command, CommandContext, ShellHandle, TextOutput } from '../../../userland/command.ts';
import { dirname } from '../../../userland/fs/paths.ts';
import { VirtualFs, type FsSnapshotNode } from '../../../userland/fs/virtual-fs.ts';
import { stringInput, StringOutput } from '../../../userland/streams.ts';
import { awk } from '../../../userland/tools/awk.ts';
import { grep } from '../../../userland/tools/grep.ts';
import { seq } from '../../../userland/tools/misc.ts';
import { sed } from '../../../userland/tools/sed.ts';
import { base64, cut, head, sort, tail, tee, tr, uniq, wc } from '../../../userland/tools/text.ts';
import type { CommandFn, Shell } from './shell.ts';

function flatten(node: FsSnapshotNode, path: string, out: Map<string, string>): Map<string, string> {
  if (node.type === 'file') out.set(path, node.content);
  else for (const [name, child] of Object.entries(node.children)) flatten(child, `${path === '/' ? '' : path}/${name}`, out);
  return out;
}

function handleFor(sh: Shell): ShellHandle {
  const run = async (line: string, io?: { stdout?: TextOutput; stderr?: TextOutput }) => {
    const out = io?.stdout ?? new StringOutput();
    const err = io?.stderr ?? new StringOutput();
    return sh.runScript(line, { stdout: (s) => void out.write(s), stderr: (s) => void err.write(s), stdin: '' });
  };
  return {
    run,
    capture: async (line) => {
      const stdout = new StringOutput();
      const stderr = new StringOutput();
      const status = await run(line, { stdout, stderr });
      return { status, stdout: stdout.text, stderr: stderr.text };
    },
    exec: (argv) => sh.runArgv(argv, { stdout: () => {}, stderr: () => {}, stdin: '' }),
    hostname: sh.ctx.hostname,
  };
}

function applet(tool: Command): CommandFn {
  return async (argv, io, sh) => {
    const fs = new VirtualFs({ now: () => sh.ctx.clock.now(), home: '/root' });
    for (const [path, content] of sh.ctx.files) {
      fs.mkdir(dirname(path), { recursive: true, silent: true });
      fs.writeFile(path, content);
    }
    let changed = false;
    fs.onChange(() => (changed = true));
    const output = (write: (s: string) => void): TextOutput => ({ closed: false, write: async (s) => write(s) });
    const ctx: CommandContext = {
      argv, env: Object.fromEntries(sh.vars), cwd: '/', stdin: stringInput(io.stdin), stdout: output(io.stdout), stderr: output(io.stderr), fs,
      signal: new AbortController().signal, terminal: { isTTY: false, columns: 80, rows: 24 }, shell: handleFor(sh),
      now: () => sh.ctx.clock.now(), sleep: (ms) => sh.sleep(ms),
    };
    const status = await tool(ctx);
    if (changed) for (const [path, content] of flatten(fs.toJSON(), '/', new Map())) sh.ctx.files.set(path, content);
    return status;
  };
}

export const sharedTextApplets: Record<string, CommandFn> = Object.fromEntries(
  Object.entries({ grep, head, tail, wc, sort, uniq, cut, tr, sed, awk, tee, base64, seq }).map(([name, tool]) => [name, applet(tool)]),
);
