/** What `kubectl edit` in this shell edits with: temp files on the shell's filesystem, the editor run in its terminal. */
import type { CommandContext } from '../../userland/command.ts';
import type { EditorHost } from '../../kubectl/context.ts';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function editorHost(ctx: CommandContext): EditorHost {
  const fs = ctx.fs;
  const at = (p: string) => fs.resolve(ctx.cwd, p);
  return {
    create: (path, text) => {
      if (fs.exists(at(path))) return false;
      fs.writeFile(at(path), text);
      return true;
    },
    exists: (path) => fs.exists(at(path)),
    remove: (path) => {
      if (fs.isFile(at(path))) fs.rm(at(path));
    },
    launch: async (argv) => {
      if (argv.length === 3 && argv[1] === '-c' && /(^|\/)(ba)?sh$/.test(argv[0]!)) return ctx.shell.run(argv[2]!);
      // Commands live in the registry by name: /usr/bin/vim is vim.
      const name = argv[0]!.replace(/^\/(usr\/)?(local\/)?s?bin\//, '');
      if ((await ctx.shell.capture(`type ${quote(name)}`)).status !== 0) return 127;
      return ctx.shell.exec([name, ...argv.slice(1)]);
    },
  };
}
