/** hostname, ssh between nodes, kubectl (ours through a hook, with `exec -it` opening a pod shell in this terminal). */
import type { CommandContext } from '../command.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { wait } from './net-client.ts';
import { getPod } from './place.ts';
import { toolsOfImage } from '../../node/images/catalogue.ts';
import { editorHost } from './vi/launch.ts';

export async function hostname(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  if (deps.place.kind !== 'node') return 1;
  const node = deps.cluster.node(deps.place.node);
  await ctx.stdout.write(ctx.argv.includes('-I') || ctx.argv.includes('-i') ? `${node.plan.ip} ${ctx.argv.includes('-I') ? `${node.plan.podCIDR.replace(/\.0\/24$/, '.0')} ${node.plan.podCIDR.replace(/\.0\/24$/, '.1')} ` : ''}\n` : `${node.name}\n`);
  return 0;
}

export async function ssh(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const args = ctx.argv.slice(1);
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (['-p', '-l', '-i', '-o'].includes(args[i]!)) i++;
    else if (words.length || !args[i]!.startsWith('-')) words.push(args[i]!);
  }
  if (!words.length) {
    await ctx.stderr.write('usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]\n           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]\n           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]\n           [-i identity_file] [-J [user@]host[:port]] [-L address]\n           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]\n           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]\n           [-w local_tun[:remote_tun]] destination [command [argument ...]]\n');
    return 255;
  }
  const dest = words[0]!.replace(/^[^@]*@/, '');
  const node = deps.cluster.nodes().find((h) => h.name === dest || h.plan.ip === dest);
  if (!node) {
    await ctx.stderr.write(`ssh: Could not resolve hostname ${dest}: Name or service not known\n`);
    return 255;
  }
  if (!node.running) {
    if (!(await wait(ctx, 3_000))) return 130;
    await ctx.stderr.write(`ssh: connect to host ${node.plan.ip} port 22: No route to host\n`);
    return 255;
  }
  const place = { kind: 'node' as const, node: node.name };
  if (words.length > 1) {
    if (!deps.host) return 255;
    const r = await deps.host.runAt(place, words.slice(1).join(' '));
    await ctx.stdout.write(r.stdout);
    await ctx.stderr.write(r.stderr);
    return r.status;
  }
  if (!deps.host?.nest) {
    await ctx.stderr.write('Pseudo-terminal will not be allocated because stdin is not a terminal.\n');
    return 255;
  }
  const status = await deps.host.nest(place);
  await ctx.stderr.write(`Connection to ${node.name} closed.\n`);
  return status;
}

interface ExecArgs { namespace: string; pod?: string; container?: string; stdin: boolean; tty: boolean; command: string[] }

export function parseExecArgs(argv: string[], defaultNamespace = 'default'): ExecArgs | string {
  const o: ExecArgs = { namespace: defaultNamespace, stdin: false, tty: false, command: [] };
  const dash = argv.indexOf('--');
  const before = dash >= 0 ? argv.slice(0, dash) : argv;
  o.command = dash >= 0 ? argv.slice(dash + 1) : [];
  for (let i = 0; i < before.length; i++) {
    const a = before[i]!;
    if (a === 'exec') continue;
    if (a === '-n' || a === '--namespace') o.namespace = before[++i] ?? '';
    else if (a.startsWith('--namespace=')) o.namespace = a.slice(12);
    else if (a === '-c' || a === '--container') o.container = before[++i];
    else if (a.startsWith('--container=')) o.container = a.slice(12);
    else if (a === '--stdin') o.stdin = true;
    else if (a === '--tty') o.tty = true;
    else if (/^-[it]+$/.test(a)) { if (a.includes('i')) o.stdin = true; if (a.includes('t')) o.tty = true; }
    else if (a.startsWith('-')) return `error: unknown shorthand flag: '${a.replace(/^-+/, '')[0]}' in ${a}`;
    else if (!o.pod) o.pod = a.replace(/^pods?\//, '');
    else o.command.push(a);
  }
  if (!o.pod) return 'error: pod, type/name or --filename must be specified';
  if (!o.command.length) return 'error: you must specify at least one command for the container';
  return o;
}

const SHELLS = new Set(['sh', 'bash', 'ash', '/bin/sh', '/bin/bash', '/bin/ash']);

export async function kubectl(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const argv = ctx.argv.slice(1);
  const isExec = argv.includes('exec') && argv.indexOf('exec') < (argv.indexOf('--') < 0 ? argv.length : argv.indexOf('--'));
  if (isExec) return kubectlExec(ctx, deps, argv);
  if (!deps.kubectl) {
    await ctx.stderr.write('kubectl: the built-in kubectl is not available in this build yet\n');
    return 1;
  }
  const fs = ctx.fs;
  const at = (p: string) => fs.resolve(ctx.cwd, p);
  return deps.kubectl.run(
    argv,
    {
      stdout: (s) => void ctx.stdout.write(s),
      stderr: (s) => void ctx.stderr.write(s),
      stdin: () => ctx.stdin.readAll(),
      readFile: (p) => fs.readFile(at(p)),
      listDir: (p) => fs.readdir(at(p)).map((name) => ({ name, dir: fs.isDir(at(`${p}/${name}`)) })),
      cwd: ctx.cwd,
      env: ctx.env,
      signal: ctx.signal,
      terminal: ctx.terminal.isTTY ? { columns: ctx.terminal.columns, rows: ctx.terminal.rows } : undefined,
      editor: editorHost(ctx),
    },
    deps.kubectl.client,
  );
}

async function kubectlExec(ctx: CommandContext, deps: ClusterCommandDeps, argv: string[]): Promise<number> {
  const a = parseExecArgs(argv);
  if (typeof a === 'string') {
    await ctx.stderr.write(`${a}\n`);
    return 1;
  }
  const pod = getPod(deps.cluster, a.namespace, a.pod!);
  if (!pod) {
    await ctx.stderr.write(`Error from server (NotFound): pods "${a.pod}" not found\n`);
    return 1;
  }
  if (pod.status?.phase !== 'Running' || !pod.spec?.nodeName) {
    await ctx.stderr.write(`error: unable to upgrade connection: container not found ("${a.container ?? pod.spec?.containers?.[0]?.name ?? ''}")\n`);
    return 1;
  }
  const place = { kind: 'pod' as const, namespace: a.namespace, name: a.pod!, container: a.container };
  const image = (a.container ? pod.spec.containers?.find((c) => c.name === a.container) : pod.spec.containers?.[0])?.image;
  if (image && toolsOfImage(image)?.shell === null && SHELLS.has(a.command[0] ?? '')) {
    // Distroless and scratch images have no /bin/sh: runc's error, as kubectl prints it.
    const cmd = a.command[0]!;
    const why = cmd.includes('/') ? `stat ${cmd}: no such file or directory` : 'executable file not found in $PATH';
    await ctx.stdout.write(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd}": ${why}: unknown\ncommand terminated with exit code 126\n`);
    return 126;
  }
  if (a.stdin && a.tty && a.command.length === 1 && SHELLS.has(a.command[0]!) && deps.host?.nest) return deps.host.nest(place);
  if (a.tty && !ctx.terminal.isTTY) await ctx.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  const stdin = a.stdin ? await ctx.stdin.readAll() : undefined;
  try {
    const r = await deps.cluster.node(pod.spec.nodeName).call<{ code: number; stdout: string; stderr: string }>('exec', a.namespace, a.pod, a.container, a.command, stdin);
    await ctx.stdout.write(r.stdout);
    await ctx.stderr.write(r.stderr);
    if (r.code !== 0) await ctx.stderr.write(`command terminated with exit code ${r.code}\n`);
    return r.code;
  } catch (e) {
    const message = (e as Error).message;
    const oci = /OCI runtime exec failed: (.*)$/.exec(message);
    if (oci) {
      await ctx.stdout.write(`OCI runtime exec failed: ${oci[1]}\ncommand terminated with exit code 126\n`);
      return 126;
    }
    await ctx.stderr.write(`error: ${message}\n`);
    return 1;
  }
}
