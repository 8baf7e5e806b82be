/** `ip addr`, `ip route` and `ss -tlnp` for a node (flannel vxlan + cni0 bridge) or a pod (eth0 in its netns). */
import { createHash } from 'node:crypto';
import type { CommandContext } from '../../userland/command.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { getPod, nodeOf } from './place.ts';
import { formatLaptopAddr, formatLaptopRoutes, laptopListeners } from './laptop/network.ts';

export interface NodeNet {
  name: string;
  ip: string;
  podCIDR: string;
  /** Other nodes' pod CIDRs, reached over flannel.1. */
  peers: Array<{ podCIDR: string }>;
  /** Local pods with an IP: one veth each on cni0. */
  pods: Array<{ namespace: string; name: string; podIP: string }>;
  controlPlane: boolean;
}

export function mac(seed: string, prefix = ''): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const bytes = (prefix ? prefix.split(':') : ['02', ...[0, 1].map((i) => h.slice(i * 2, i * 2 + 2))]).concat([2, 3, 4, 5].map((i) => h.slice(i * 2, i * 2 + 2)));
  return bytes.slice(0, 6).join(':');
}

const gw = (cidr: string, last: number) => `${cidr.split('/')[0]!.split('.').slice(0, 3).join('.')}.${last}`;
const VALID = '       valid_lft forever preferred_lft forever';
/** lo, eth0, flannel.1, cni0, then one veth per local pod. */
const FIRST_VETH_INDEX = 5;

export function formatNodeAddr(n: NodeNet): string {
  const lines = [
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00', '    inet 127.0.0.1/8 scope host lo', VALID,
    '    inet6 ::1/128 scope host ', VALID,
    '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
    `    link/ether ${mac(`${n.name}/eth0`, '08:00:27')} brd ff:ff:ff:ff:ff:ff`,
    `    inet ${n.ip}/24 brd ${gw(`${n.ip}/24`, 255)} scope global eth0`, VALID,
    '3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default ',
    `    link/ether ${mac(`${n.name}/flannel.1`)} brd ff:ff:ff:ff:ff:ff`, `    inet ${gw(n.podCIDR, 0)}/32 scope global flannel.1`, VALID,
    '4: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000',
    `    link/ether ${mac(`${n.name}/cni0`)} brd ff:ff:ff:ff:ff:ff`, `    inet ${gw(n.podCIDR, 1)}/24 brd ${gw(n.podCIDR, 255)} scope global cni0`, VALID,
  ];
  n.pods.forEach((p, i) => {
    const id = createHash('sha256').update(`${p.namespace}/${p.name}`).digest('hex');
    lines.push(`${FIRST_VETH_INDEX + i}: veth${id.slice(0, 8)}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP group default `,
      `    link/ether ${mac(`veth/${p.namespace}/${p.name}`)} brd ff:ff:ff:ff:ff:ff link-netns cni-${id.slice(8, 16)}-${id.slice(16, 20)}-${id.slice(20, 24)}-${id.slice(24, 28)}-${id.slice(28, 40)}`);
  });
  return lines.join('\n') + '\n';
}

export function formatNodeRoutes(n: NodeNet): string {
  const routes: Array<[string, string]> = [
    [n.podCIDR, `${n.podCIDR} dev cni0 proto kernel scope link src ${gw(n.podCIDR, 1)}`],
    ...n.peers.map((p): [string, string] => [p.podCIDR, `${p.podCIDR} via ${gw(p.podCIDR, 0)} dev flannel.1 onlink `]),
    [`${gw(n.ip, 0)}/24`, `${gw(n.ip, 0)}/24 dev eth0 proto kernel scope link src ${n.ip} `],
  ];
  const key = (c: string) => c.split('/')[0]!.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  routes.sort((a, b) => key(a[0]) - key(b[0]));
  return [`default via ${gw(n.ip, 1)} dev eth0 proto static `, ...routes.map((r) => r[1])].join('\n') + '\n';
}

/** `peerIndex`: the ifindex of the pod's veth on its node (eth0@ifN), as `ip addr` on the node numbers it. */
export function formatPodAddr(podIP: string, seed: string, peerIndex = 5): string {
  return ['1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000', '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    '    inet 127.0.0.1/8 scope host lo', VALID, '    inet6 ::1/128 scope host ', VALID,
    `2: eth0@if${peerIndex}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1450 qdisc noqueue `, `    link/ether ${mac(`pod/${seed}`)} brd ff:ff:ff:ff:ff:ff`,
    `    inet ${podIP}/24 brd ${gw(`${podIP}/24`, 255)} scope global eth0`, VALID].join('\n') + '\n';
}

export function formatPodRoutes(podIP: string): string {
  return `default via ${gw(`${podIP}/24`, 1)} dev eth0 \n10.244.0.0/16 via ${gw(`${podIP}/24`, 1)} dev eth0 \n${gw(`${podIP}/24`, 0)}/24 dev eth0 scope link  src ${podIP} \n`;
}

export interface Listener { proto: 'tcp' | 'udp'; local: string; process: string; pid: number; fd: number }

/**
 * What listens on a kubeadm node. kube-proxy in iptables mode opens no NodePort sockets (NodePorts are DNAT rules
 * only) and the CNI portmap plugin implements hostPort the same way, so neither shows up here, as on a real node.
 */
export function nodeListeners(controlPlane: boolean, ip: string): Listener[] {
  const l: Listener[] = [
    { proto: 'tcp', local: '127.0.0.53%lo:53', process: 'systemd-resolve', pid: 612, fd: 14 },
    { proto: 'tcp', local: '0.0.0.0:22', process: 'sshd', pid: 801, fd: 3 },
    { proto: 'tcp', local: '127.0.0.1:10248', process: 'kubelet', pid: 1021, fd: 18 },
    { proto: 'tcp', local: '127.0.0.1:10249', process: 'kube-proxy', pid: 1388, fd: 11 },
    { proto: 'tcp', local: '127.0.0.1:37561', process: 'containerd', pid: 902, fd: 12 },
    { proto: 'tcp', local: '*:10250', process: 'kubelet', pid: 1021, fd: 22 },
    { proto: 'tcp', local: '*:10256', process: 'kube-proxy', pid: 1388, fd: 10 },
  ];
  if (controlPlane) {
    l.push(
      { proto: 'tcp', local: `${ip}:2379`, process: 'etcd', pid: 1190, fd: 9 },
      { proto: 'tcp', local: '127.0.0.1:2379', process: 'etcd', pid: 1190, fd: 8 },
      { proto: 'tcp', local: `${ip}:2380`, process: 'etcd', pid: 1190, fd: 7 },
      { proto: 'tcp', local: '127.0.0.1:2381', process: 'etcd', pid: 1190, fd: 15 },
      { proto: 'tcp', local: '127.0.0.1:10257', process: 'kube-controller', pid: 1176, fd: 3 },
      { proto: 'tcp', local: '127.0.0.1:10259', process: 'kube-scheduler', pid: 1180, fd: 3 },
      { proto: 'tcp', local: '*:6443', process: 'kube-apiserver', pid: 1184, fd: 3 },
    );
  }
  return l;
}

/** iproute2 6.x `ss -tlnp` columns; `visible` says whose process `-p` may show (a non-root user sees only their own). */
export function formatSs(listeners: Listener[], withProcess: boolean, visible: (l: Listener) => boolean = () => true): string {
  const rows = listeners.map((x) => {
    const at = x.local.lastIndexOf(':');
    return ['LISTEN', '0', /^127\.0\.0\.5[34]/.test(x.local) ? '32' : '4096', x.local.slice(0, at), x.local.slice(at + 1), x.local.startsWith('*') ? '*' : '0.0.0.0', '*',
      withProcess && visible(x) ? `users:(("${x.process}",pid=${x.pid},fd=${x.fd}))` : ''];
  });
  const header = ['State', 'Recv-Q', 'Send-Q', 'Local Address', 'Port', 'Peer Address', 'Port', 'Process'];
  const w = [0, 1, 2, 3, 4, 5, 6].map((i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[], isHeader: boolean) =>
    `${r[0]!.padEnd(w[0]!)} ${r[1]!.padEnd(w[1]!)} ${r[2]!.padEnd(w[2]!)} ${r[3]!.padStart(w[3]!)}:${r[4]!.padEnd(w[4]!)} ${r[5]!.padStart(w[5]!)}:${r[6]!.padEnd(w[6]!)}${isHeader ? '' : ''}${r[7]}`;
  return [line(header, true), ...rows.map((r) => line(r, false))].join('\n') + '\n';
}

export async function nodeNet(deps: ClusterCommandDeps, nodeName: string): Promise<NodeNet> {
  const h = deps.cluster.node(nodeName);
  const pods = h.running ? await h.call('pods') : [];
  return {
    name: h.name, ip: h.plan.ip, podCIDR: h.plan.podCIDR, controlPlane: h.plan.controlPlane,
    peers: deps.cluster.nodes().filter((o) => o !== h && o.running).map((o) => ({ podCIDR: o.plan.podCIDR })),
    pods: pods.filter((p) => p.podIP).map((p) => ({ namespace: p.namespace, name: p.name, podIP: p.podIP! })),
  };
}

/** `ip`'s global options (iproute2 accepts any unambiguous prefix of them, and `--x` as `-x`). */
const IP_OPTIONS = ['-4', '-6', '-stats', '-statistics', '-details', '-brief', '-color', '-oneline', '-json', '-pretty', '-human', '-resolve', '-timestamp'];
const IP_USAGE = 'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\nwhere  OBJECT := { address | link | route | neigh | netns | ... }\n';

export async function ip(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const args = ctx.argv.slice(1);
  for (const a of args) {
    if (!a.startsWith('-')) break;
    const opt = a.startsWith('--') ? a.slice(1) : a;
    if (opt === '-h' || '-help'.startsWith(opt) && opt.length > 2) return (await ctx.stderr.write(IP_USAGE), 255);
    if (!IP_OPTIONS.some((o) => o.startsWith(opt) && opt.length > 1)) {
      await ctx.stderr.write(`Option "${a}" is unknown, try "ip -help".\n`);
      return 255;
    }
  }
  const words = args.filter((a) => !a.startsWith('-'));
  const [obj, sub] = words;
  const what = obj === undefined ? undefined : 'address'.startsWith(obj) ? 'addr' : 'route'.startsWith(obj) ? 'route' : 'link'.startsWith(obj) ? 'link' : obj;
  if (!what || (sub && !['show', 'list', 'ls'].includes(sub))) {
    await ctx.stderr.write(what ? `Command "${sub}" is unknown, try "ip ${what} help".\n` : IP_USAGE);
    return what ? 1 : 255;
  }
  if (what !== 'addr' && what !== 'route' && what !== 'link') {
    await ctx.stderr.write(`Object "${obj}" is unknown, try "ip help".\n`);
    return 1;
  }
  // `ip a show [dev] NAME`, `ip -4 a`: one interface's block, IPv4 lines only.
  const dev = words[2] === 'dev' ? words[3] : words[2];
  const inet4 = args.some((a) => a === '-4');
  const shown = (text: string): string | undefined => {
    if (what === 'route') return text;
    let blocks = text.split(/\n(?=\d+: )/).map((b) => b.replace(/\n$/, ''));
    if (dev !== undefined) blocks = blocks.filter((b) => new RegExp(`^\\d+: ${dev.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[@:]`).test(b));
    if (dev !== undefined && !blocks.length) return undefined;
    if (what === 'link') blocks = blocks.map((b) => b.split('\n').filter((l) => !/^\s+(inet|valid)/.test(l)).join('\n'));
    else if (inet4) blocks = blocks.map((b) => b.split('\n').filter((l, i, all) => !/^\s+(link\/|inet6)/.test(l) && !(/^\s+valid/.test(l) && /inet6/.test(all[i - 1] ?? ''))).join('\n'));
    return blocks.map((b) => `${b}\n`).join('');
  };
  let text: string;
  if (deps.place.kind === 'laptop') text = what === 'route' ? formatLaptopRoutes() : formatLaptopAddr(ctx.now());
  else if (deps.place.kind === 'pod') {
    const podIP = getPod(deps.cluster, deps.place.namespace, deps.place.name)?.status?.podIP ?? '';
    const node = nodeOf(deps.cluster, deps.place);
    const { namespace, name } = deps.place;
    const onNode = node ? (await nodeNet(deps, node.name)).pods.findIndex((p) => p.namespace === namespace && p.name === name) : -1;
    text = what === 'route' ? formatPodRoutes(podIP) : formatPodAddr(podIP, `${namespace}/${name}`, onNode < 0 ? 5 : FIRST_VETH_INDEX + onNode);
  } else {
    const node = nodeOf(deps.cluster, deps.place);
    if (!node) return machineGone(ctx, 'ip');
    const n = await nodeNet(deps, node.name);
    text = what === 'route' ? formatNodeRoutes(n) : formatNodeAddr(n);
  }
  const out = shown(text);
  if (out === undefined) {
    await ctx.stderr.write(`Device "${dev}" does not exist.\n`);
    return 1;
  }
  await ctx.stdout.write(out);
  return 0;
}

/** A node's own command after the node was removed under its shell (the session ends at the next prompt). */
async function machineGone(ctx: CommandContext, tool: string): Promise<number> {
  await ctx.stderr.write(`${tool}: Connection reset by peer\n`);
  return 255;
}

export async function ss(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const flags = ctx.argv.slice(1).filter((a) => a.startsWith('-') && !a.startsWith('--')).join('');
  const udpOnly = (list: Listener[]) => (flags.includes('u') && !flags.includes('t') ? list.filter((l) => l.proto === 'udp') : list);
  if (deps.place.kind === 'laptop') {
    const own = deps.laptop?.listeners() ?? [];
    const list = laptopListeners(own);
    await ctx.stdout.write(formatSs(udpOnly(list), flags.includes('p'), (l) => list.find((x) => x.local === l.local)?.own === true));
    return 0;
  }
  const node = nodeOf(deps.cluster, deps.place);
  if (!node) return machineGone(ctx, 'ss');
  const list = deps.place.kind === 'pod' ? [] : nodeListeners(node.plan.controlPlane, node.plan.ip);
  await ctx.stdout.write(formatSs(udpOnly(list), flags.includes('p')));
  return 0;
}
