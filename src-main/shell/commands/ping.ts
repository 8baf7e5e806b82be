/**
 * ping over ICMP on the virtual network: iputils on nodes, busybox in pods. A ClusterIP exists only as iptables DNAT
 * rules for TCP/UDP ports, so nothing answers an echo request to it: 100% packet loss.
 */
import type { CommandContext } from '../command.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { resolveWaiting, wait } from './net-client.ts';
import { nodeOf, originOf } from './place.ts';

const INTERVAL_MS = 1000;

function rtt(seq: number, crossed: boolean): number {
  // A stable, plausible spread: ~0.05 ms on the same node, ~0.5 ms across the overlay.
  const base = crossed ? 0.45 : 0.05;
  return base + ((seq * 37) % 23) / (crossed ? 100 : 1000);
}

export async function ping(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const busybox = deps.place.kind === 'pod';
  const args = ctx.argv.slice(1);
  let count = Infinity;
  let deadlineMs: number | undefined;
  let target: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c') count = Number(args[++i]);
    else if (a.startsWith('-c') && a.length > 2) count = Number(a.slice(2));
    else if (a === '-w') deadlineMs = Number(args[++i]) * 1000;
    else if (a === '-q' || a === '-n') continue;
    else if (!a.startsWith('-')) target = a;
  }
  if (!target) {
    await ctx.stderr.write(busybox ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n' : 'ping: usage error: Destination address required\n');
    return busybox ? 1 : 2;
  }
  if (!Number.isFinite(count) && count !== Infinity) {
    await ctx.stderr.write(`ping: invalid argument: '${args[args.indexOf('-c') + 1]}'\n`);
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
  let sent = 0;
  const started = ctx.now();
  while (sent < count && !ctx.signal.aborted) {
    if (deadlineMs !== undefined && ctx.now() - started >= deadlineMs) break;
    const seq = busybox ? sent : sent + 1;
    sent++;
    const r = await deps.cluster.network.connect(originOf(deps.place), { dst: { ip, port: 0 }, proto: 'icmp', payload: { kind: 'icmp' } });
    if (r.ok) {
      const replier = placeOfAddress(deps, ip);
      const crossed = replier.node !== undefined && replier.node !== here;
      const ttl = 64 - (crossed ? routersBetween(deps.place.kind === 'pod', replier.pod) : 0);
      const t = rtt(seq, crossed);
      times.push(t);
      await ctx.stdout.write(busybox ? `64 bytes from ${ip}: seq=${seq} ttl=${ttl} time=${t.toFixed(3)} ms\n` : `64 bytes from ${ip}: icmp_seq=${seq} ttl=${ttl} time=${t.toFixed(3)} ms\n`);
    }
    if (sent < count && !(await wait(ctx, INTERVAL_MS))) break;
  }
  const loss = sent === 0 ? 0 : Math.round(((sent - times.length) / sent) * 100);
  const elapsed = Math.max(0, ctx.now() - started) + (sent > 1 ? 3 : 0);
  let stats = busybox
    ? `\n--- ${target} ping statistics ---\n${sent} packets transmitted, ${times.length} packets received, ${loss}% packet loss\n`
    : `\n--- ${target} ping statistics ---\n${sent} packets transmitted, ${times.length} received, ${loss}% packet loss, time ${sent > 1 ? elapsed : 0}ms\n`;
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
