/** `bash -c CMD`, `bash script.sh`, `... | bash`: a child of the calling shell runs the script, non-interactively. */
import type { Command } from '../command.ts';

export const shellCommand: Command = async (ctx) => {
  const name = ctx.argv[0]!;
  const args = ctx.argv.slice(1);
  if (args[0] === '-c') {
    if (args[1] === undefined) {
      await ctx.stderr.write(`${name}: -c: option requires an argument\n`);
      return 2;
    }
    return ctx.shell.run(args[1]);
  }
  if (args[0] !== undefined && !args[0].startsWith('-')) {
    const path = ctx.fs.resolve(ctx.cwd, args[0]);
    if (!ctx.fs.exists(path) || ctx.fs.isDir(path)) {
      await ctx.stderr.write(`${name}: ${args[0]}: ${ctx.fs.isDir(path) ? 'Is a directory' : 'No such file or directory'}\n`);
      return ctx.fs.isDir(path) ? 126 : 127;
    }
    return ctx.shell.run(ctx.fs.readFile(path));
  }
  if (!ctx.terminal.isTTY) return ctx.shell.run(await ctx.stdin.readAll());
  await ctx.stderr.write(`${name}: a nested interactive shell is not available here; use ${name} -c '...'\n`);
  return 1;
};
