/** hostname, ssh to nodes, kubectl (ours through a hook, with `exec -it` opening a pod shell in this terminal). */
import type { CommandContext } from '../../userland/command.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { ARP_GIVE_UP_MS, KERNEL_CONNECT_TIMEOUT_MS } from './curl.ts';
import { LAPTOP_ADDRESSES } from './laptop/network.ts';
import { connectFrom, resolveWaiting, wait } from './net-client.ts';
import { getPod, hostnameOf, nodeOf } from './place.ts';
import { containerTools, hasExecutable, ociNotFound } from './pod/image.ts';
import { editorHost } from '../vi/launch.ts';

/** Debian's hostname 3.23 (Ubuntu 24.04). */
const HOSTNAME_USAGE = `Usage: hostname [-b] {hostname|-F file}         set host name (from file)
       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name
       hostname                                 display host name

       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)
       {yp,nis,}domainname                      display NIS domain name

       dnsdomainname                            display dns domain name

       hostname -V|--version|-h|--help          print info and exit

Program name:
       {yp,nis,}domainname=hostname -y
       dnsdomainname=hostname -d

Program options:
    -a, --alias            alias names
    -A, --all-fqdns        all long host names (FQDNs)
    -b, --boot             set default hostname if none available
    -d, --domain           DNS domain name
    -f, --fqdn, --long     long host name (FQDN)
    -F, --file             read host name or NIS domain name from given file
    -i, --ip-address       addresses for the host name
    -I, --all-ip-addresses all addresses for the host
    -s, --short            short host name
    -y, --yp, --nis        NIS/YP domain name

Description:
   This command can get or set the host name or the NIS domain name. You can
   also get the DNS domain or the FQDN (fully qualified domain name).
   Unless you are using bind or NIS for host lookups you can change the
   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is
   part of the FQDN) in the /etc/hosts file.
`;
const HOSTNAME_LONG: Record<string, string> = {
  '--alias': 'a', '--all-fqdns': 'A', '--boot': 'b', '--domain': 'd', '--fqdn': 'f', '--long': 'f', '--file': 'F', '--ip-address': 'i',
  '--all-ip-addresses': 'I', '--short': 's', '--yp': 'y', '--nis': 'y', '--help': 'h', '--version': 'V',
};

export async function hostname(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const name = hostnameOf(deps.cluster, deps.place);
  const node = nodeOf(deps.cluster, deps.place);
  let mode = '';
  const operands: string[] = [];
  for (const a of ctx.argv.slice(1)) {
    if (a.startsWith('--')) {
      const m = HOSTNAME_LONG[a];
      if (!m) return (await ctx.stderr.write(`hostname: unrecognized option '${a}'\n${HOSTNAME_USAGE}`), 255);
      mode = m;
    } else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (!'aAbdfFiIsyhV'.includes(c)) return (await ctx.stderr.write(`hostname: invalid option -- '${c}'\n${HOSTNAME_USAGE}`), 255);
        mode = c;
      }
    } else operands.push(a);
  }
  if (mode === 'h') return (await ctx.stdout.write(HOSTNAME_USAGE), 0);
  if (mode === 'V') return (await ctx.stderr.write('hostname 3.23+nmu2ubuntu2\n'), 0);
  if (mode === 'F' || mode === 'b' || operands.length) {
    if (deps.place.kind === 'laptop') return (await ctx.stderr.write('hostname: you must be root to change the host name\n'), 1);
    return (await ctx.stderr.write(`hostname: kubelab keeps the host name of its machines: this one stays ${name}\n`), 1);
  }
  let text = name;
  if (mode === 'I') {
    const addrs = deps.place.kind === 'laptop' ? LAPTOP_ADDRESSES : deps.place.kind === 'pod' ? [podIPOf(deps)] : node ? [node.plan.ip, node.plan.podCIDR.replace(/\.0\/24$/, '.0'), node.plan.podCIDR.replace(/\.0\/24$/, '.1')] : [];
    text = addrs.map((x) => `${x} `).join('');
  } else if (mode === 'i') text = deps.place.kind === 'laptop' ? '127.0.1.1' : deps.place.kind === 'pod' ? podIPOf(deps) : node?.plan.ip ?? '';
  else if (mode === 'd' || mode === 'y' || mode === 'a') text = '';
  await ctx.stdout.write(`${text}\n`);
  return 0;
}

/** A pod's address: what its /etc/hosts gives for its own name. */
function podIPOf(deps: ClusterCommandDeps): string {
  return deps.place.kind === 'pod' ? getPod(deps.cluster, deps.place.namespace, deps.place.name)?.status?.podIP ?? '' : '';
}

/** coreutils whoami and id for the shell's user: root on the nodes, the laptop's first (sudo) user. */
export async function whoami(ctx: CommandContext): Promise<number> {
  if (ctx.argv.length > 1) {
    const a = ctx.argv[1]!;
    await ctx.stderr.write(a.startsWith('-') ? `whoami: ${a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a[1]}'`}\nTry 'whoami --help' for more information.\n` : `whoami: extra operand '${a}'\nTry 'whoami --help' for more information.\n`);
    return 1;
  }
  await ctx.stdout.write(`${ctx.env.USER ?? 'root'}\n`);
  return 0;
}

export async function id(ctx: CommandContext): Promise<number> {
  const user = ctx.env.USER ?? 'root';
  const operand = ctx.argv.slice(1).find((a) => !a.startsWith('-'));
  if (operand !== undefined && operand !== user && operand !== 'root') return (await ctx.stderr.write(`id: '${operand}': no such user\n`), 1);
  const who = operand ?? user;
  await ctx.stdout.write(who === 'root' ? 'uid=0(root) gid=0(root) groups=0(root)\n'
    : `uid=1000(${who}) gid=1000(${who}) groups=1000(${who}),4(adm),24(cdrom),27(sudo),30(dip),46(plugdev),100(users),114(lpadmin)\n`);
  return 0;
}

const SSH_USAGE = 'usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]\n           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]\n           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]\n           [-i identity_file] [-J [user@]host[:port]] [-L address]\n           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]\n           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]\n           [-w local_tun[:remote_tun]] destination [command [argument ...]]\n';
const SSH_WITH_VALUE = 'BbcDEeFIiJLlmOopQRSWw';
const SSH_FLAGS = '46AaCfGgKkMNnqsTtVvXxYy';

type SshArgs = { dest: string; user?: string; port: number; command: string[] } | { error: string };

export function parseSshArgs(args: string[]): SshArgs {
  let user: string | undefined;
  let port = 22;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (SSH_WITH_VALUE.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) return { error: `option requires an argument -- ${c}\n${SSH_USAGE}` };
        if (c === 'l') user = v;
        if (c === 'p') {
          const n = /^\d+$/.test(v) ? Number(v) : NaN;
          if (!(n > 0 && n <= 65535)) return { error: `Bad port '${v}'\n` };
          port = n;
        }
        break;
      }
      if (!SSH_FLAGS.includes(c)) return { error: `unknown option -- ${c}\n${SSH_USAGE}` };
    }
  }
  const dest = args[i];
  if (!dest) return { error: SSH_USAGE };
  const at = dest.lastIndexOf('@');
  return { dest: at >= 0 ? dest.slice(at + 1) : dest, user: at >= 0 ? dest.slice(0, at) : user, port, command: args.slice(i + 1) };
}

/**
 * OpenSSH to a node: root logs in with the lab's key (nodes and the laptop have it), anyone else is refused. An
 * address no node has is connected to like any other (refused, timed out, unreachable), and a stopped node does
 * not answer ARP.
 */
export async function ssh(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const parsed = parseSshArgs(ctx.argv.slice(1));
  if ('error' in parsed) return (await ctx.stderr.write(parsed.error), 255);
  const { dest, port } = parsed;
  const user = parsed.user ?? ctx.env.USER ?? 'root';
  const found = await resolveWaiting(ctx, deps.cluster, deps.place, dest);
  if (!found) return 130;
  if (!found.ok) {
    await ctx.stderr.write(`ssh: Could not resolve hostname ${dest.toLowerCase()}: ${found.error === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known'}\n`);
    return 255;
  }
  const fail = async (why: string) => (await ctx.stderr.write(`ssh: connect to host ${dest} port ${port}: ${why}\n`), 255);
  const node = deps.cluster.nodes().find((h) => h.plan.ip === found.ip);
  if (!node || !node.running || port !== 22) {
    const r = await connectFrom(deps.cluster, deps.place, { dst: { ip: found.ip, port }, proto: 'tcp', payload: { kind: 'connect' } });
    if (r.ok) return (await ctx.stderr.write(`kex_exchange_identification: Connection closed by remote host\nConnection closed by ${found.ip} port ${port}\n`), 255);
    if (r.error === 'refused') return fail('Connection refused');
    if (r.error === 'unreachable') return fail('Network is unreachable');
    if (r.error === 'reset') return fail('Connection reset by peer');
    if (!(await wait(ctx, r.error === 'no-route' ? ARP_GIVE_UP_MS : KERNEL_CONNECT_TIMEOUT_MS))) return 130;
    return fail(r.error === 'no-route' ? 'No route to host' : 'Connection timed out');
  }
  if (user !== 'root') return (await ctx.stderr.write(`${user}@${dest}: Permission denied (publickey).\n`), 255);
  const place = { kind: 'node' as const, node: node.name };
  if (parsed.command.length) {
    if (!deps.host) return 255;
    const r = await deps.host.runAt(place, parsed.command.join(' '));
    await ctx.stdout.write(r.stdout);
    await ctx.stderr.write(r.stderr);
    return r.status;
  }
  if (!deps.host?.nest) {
    await ctx.stderr.write('Pseudo-terminal will not be allocated because stdin is not a terminal.\n');
    return 255;
  }
  const status = await deps.host.nest(place, dest);
  await ctx.stderr.write(`Connection to ${dest} closed.\n`);
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

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', '/bin/sh', '/bin/bash', '/bin/ash', '/bin/dash']);

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
      now: () => ctx.now(),
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
  const kubelet = deps.cluster.nodes().find((h) => h.name === pod.spec!.nodeName);
  if (!kubelet?.running) {
    // The API server dials the kubelet on the pod's node; a powered-off node answers no ARP.
    if (!(await wait(ctx, ARP_GIVE_UP_MS))) return 130;
    await ctx.stderr.write(`Error from server: error dialing backend: dial tcp ${kubelet?.plan.ip ?? pod.status?.hostIP ?? ''}:10250: connect: no route to host\n`);
    return 1;
  }
  const place = { kind: 'pod' as const, namespace: a.namespace, name: a.pod!, container: a.container };
  const cmd = a.command[0]!;
  if (!hasExecutable(containerTools({ cluster: deps.cluster, place }), cmd)) {
    // runc cannot start what the image does not have (a distroless image has no sh at all).
    await ctx.stdout.write(`${ociNotFound(cmd)}\ncommand terminated with exit code 126\n`);
    return 126;
  }
  if (a.stdin && a.tty && a.command.length === 1 && SHELLS.has(cmd) && deps.host?.nest) return deps.host.nest({ ...place, shell: cmd });
  if (a.tty && !ctx.terminal.isTTY) await ctx.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  const stdin = a.stdin ? await ctx.stdin.readAll() : undefined;
  try {
    const r = deps.host?.exec
      ? await deps.host.exec(place, a.command, stdin, ctx.signal).then((x) => ({ code: x.status, stdout: x.stdout, stderr: x.stderr }))
      : await deps.cluster.node(pod.spec.nodeName).call('exec', a.namespace, a.pod!, a.container, a.command, stdin);
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
