/**
 * ping over ICMP on the virtual network: iputils on nodes, busybox in pods. A ClusterIP exists only as iptables DNAT
 * rules for TCP/UDP ports, so nothing answers an echo request to it: 100% packet loss.
 */
import type { CommandContext } from '../../userland/command.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { connectFrom, resolveWaiting, wait } from './net-client.ts';
import { nodeOf } from './place.ts';
import { LAPTOP_IP } from '../../net/addresses.ts';

const INTERVAL_MS = 1000;

function rtt(seq: number, crossed: boolean): number {
  // A stable, plausible spread: ~0.05 ms on the same node, ~0.5 ms across the overlay.
  const base = crossed ? 0.45 : 0.05;
  return base + ((seq * 37) % 23) / (crossed ? 100 : 1000);
}

/** iputils 20240117 (the nodes' and the laptop's Ubuntu 24.04): `ping -h`, a bad option or no destination. */
const IPUTILS_USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      DNS name or IP address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -H                 force reverse DNS name resolution (useful for numeric
                     destinations or for -f), override -n
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define path MTU discovery, can be one of <do|dont|want|probe>
  -n                 no reverse DNS name resolution, override -H
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use IPv6 node info query, try <help> as argument

For more details see ping(8).
`;
const BUSYBOX_USAGE = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n';
/** iputils' option letters that take a value; the others are flags. */
const WITH_VALUE = 'ceIilmMpQsStwWTFN';
const FLAGS = 'aABCDdfhHLnOqUvV4bR6';
const COUNT_MAX = 9223372036854775807n;

type PingArgs = { target?: string; count: number; deadlineMs?: number } | { error: string; status: number };

/** getopt over iputils' letters; -c and -w checked as iputils' strtol_or_err does. */
export function parsePingArgs(args: string[], busybox: boolean): PingArgs {
  const usage = (why: string) => ({ error: `${why}${busybox ? BUSYBOX_USAGE : IPUTILS_USAGE}`, status: busybox ? 1 : 2 });
  let count = Infinity;
  let deadlineMs: number | undefined;
  let target: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { target ??= args[i + 1]; break; }
    if (!a.startsWith('-') || a === '-') { target ??= a; continue; }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (WITH_VALUE.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (v === undefined) return usage(`ping: option requires an argument -- '${c}'\n`);
        if (c === 'c' || c === 'w') {
          const bad = !/^\d+$/.test(v) ? '' : BigInt(v) < 1n || BigInt(v) > COUNT_MAX ? `: out of range: 1 <= value <= ${COUNT_MAX}` : undefined;
          if (bad !== undefined) return { error: `ping: invalid argument: '${v}'${bad}\n`, status: busybox ? 1 : 2 };
          if (c === 'c') count = Number(v);
          else deadlineMs = Number(v) * 1000;
        }
        break;
      }
      if (c === 'h') return usage('');
      if (!FLAGS.includes(c)) return usage(`ping: invalid option -- '${c}'\n`);
    }
  }
  return { target, count, deadlineMs };
}

export async function ping(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const busybox = deps.place.kind === 'pod';
  const parsed = parsePingArgs(ctx.argv.slice(1), busybox);
  if ('error' in parsed) {
    await ctx.stderr.write(parsed.error);
    return parsed.status;
  }
  const { target, count, deadlineMs } = parsed;
  if (!target) {
    await ctx.stderr.write(busybox ? BUSYBOX_USAGE : 'ping: usage error: Destination address required\n');
    return busybox ? 1 : 2;
  }
  const found = await resolveWaiting(ctx, deps.cluster, deps.place, target);
  if (!found) return 130;
  if (!found.ok) {
    await ctx.stderr.write(busybox ? `ping: bad address '${target}'\n` : `ping: ${target}: ${found.error === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known'}\n`);
    return busybox ? 1 : 2;
  }
  const ip = found.ip;
  await ctx.stdout.write(busybox ? `PING ${target} (${ip}): 56 data bytes\n` : `PING ${target} (${ip}) 56(84) bytes of data.\n`);
  const here = nodeOf(deps.cluster, deps.place)?.name;
  const times: number[] = [];
  let errors = 0;
  let sent = 0;
  const started = ctx.now();
  while (sent < count && !ctx.signal.aborted) {
    if (deadlineMs !== undefined && ctx.now() - started >= deadlineMs) break;
    const seq = busybox ? sent : sent + 1;
    sent++;
    const r = await connectFrom(deps.cluster, deps.place, { dst: { ip, port: 0 }, proto: 'icmp', payload: { kind: 'icmp' } });
    if (r.ok) {
      const replier = placeOfAddress(deps, ip);
      const crossed = replier.node !== undefined && replier.node !== here;
      const ttl = 64 - (crossed ? routersBetween(deps.place.kind === 'pod', replier.pod) : 0);
      const t = rtt(seq, crossed);
      times.push(t);
      await ctx.stdout.write(busybox ? `64 bytes from ${ip}: seq=${seq} ttl=${ttl} time=${t.toFixed(3)} ms\n` : `64 bytes from ${ip}: icmp_seq=${seq} ttl=${ttl} time=${t.toFixed(3)} ms\n`);
    } else if (r.error === 'no-route' && !busybox) {
      // No ARP answer: the sender's own kernel reports the host unreachable (busybox ping does not print ICMP errors).
      errors++;
      await ctx.stdout.write(`From ${sourceAddress(deps)} icmp_seq=${seq} Destination Host Unreachable\n`);
    }
    if (sent < count && !(await wait(ctx, INTERVAL_MS))) break;
  }
  const loss = sent === 0 ? 0 : Math.round(((sent - times.length) / sent) * 100);
  const elapsed = Math.max(0, ctx.now() - started) + (sent > 1 ? 3 : 0);
  let stats = busybox
    ? `\n--- ${target} ping statistics ---\n${sent} packets transmitted, ${times.length} packets received, ${loss}% packet loss\n`
    : `\n--- ${target} ping statistics ---\n${sent} packets transmitted, ${times.length} received, ${errors ? `+${errors} errors, ` : ''}${loss}% packet loss, time ${sent > 1 ? elapsed : 0}ms\n`;
  if (times.length) {
    const min = Math.min(...times);
    const max = Math.max(...times);
    const avg = times.reduce((a, b) => a + b, 0) / times.length;
    const mdev = Math.sqrt(times.reduce((a, b) => a + (b - avg) ** 2, 0) / times.length);
    stats += busybox ? `round-trip min/avg/max = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)} ms\n` : `rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms\n`;
  }
  if (!busybox && !times.length) stats += '\n';
  await ctx.stdout.write(stats);
  return times.length ? 0 : 1;
}

/** The address a node or the laptop sends from on the node network. */
function sourceAddress(deps: ClusterCommandDeps): string {
  return nodeOf(deps.cluster, deps.place)?.plan.ip ?? LAPTOP_IP;
}

function cidrOwner(cidr: string, ip: string): boolean {
  const [base] = cidr.split('/');
  return base!.split('.').slice(0, 3).join('.') === ip.split('.').slice(0, 3).join('.');
}

/** The node an address lives on, and whether it is a pod's (behind that node's cni0) or the node's own. */
function placeOfAddress(deps: ClusterCommandDeps, ip: string): { node?: string; pod: boolean } {
  for (const h of deps.cluster.nodes()) {
    if (h.plan.ip === ip) return { node: h.name, pod: false };
    if (cidrOwner(h.plan.podCIDR, ip)) return { node: h.name, pod: true };
  }
  return { pod: false };
}

/**
 * Each router on the reply's way takes one off the TTL of 64: the replying pod's node forwards it onto flannel.1,
 * and a pod's own node forwards it from there onto cni0. Nodes share one L2 segment, so node to node is direct.
 */
function routersBetween(fromPod: boolean, toPod: boolean): number {
  return (fromPod ? 1 : 0) + (toPod ? 1 : 0);
}
