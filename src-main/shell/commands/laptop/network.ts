/**
 * The learner's laptop as the network sees it: an Ubuntu 24.04 laptop on the workshop's Wi-Fi, with VirtualBox's
 * host-only adapter vboxnet0 (192.168.56.1/24) on the node network.
 *
 * An offline workshop: the access point hands out 192.168.0.0/24 by DHCP with itself as gateway and DNS server, but
 * has no uplink. So the laptop has a default route (a packet to a ClusterIP or a pod IP leaves through wlp2s0 and is
 * lost beyond the access point: connects time out, pings get no reply, traceroute shows `* * *` after `_gateway`),
 * and /etc/resolv.conf is systemd-resolved's stub 127.0.0.53, which forwards to an upstream that never answers:
 * every name that is not in /etc/hosts or synthesized by resolved itself (`_gateway`, the local hostname) times out
 * (`;; connection timed out; no servers could be reached`, `Temporary failure in name resolution`), and cluster DNS
 * (10.96.0.10) is not reachable from outside the cluster at all.
 */
import { cidrContains, HOST_NETWORK, LAPTOP_IP } from '../../../net/addresses.ts';

export const WIFI = { dev: 'wlp2s0', ip: '192.168.0.23', cidr: '192.168.0.0/24', gateway: '192.168.0.1', mac: '3c:a9:f4:5e:21:8b' } as const;
export const HOST_ONLY = { dev: 'vboxnet0', ip: LAPTOP_IP, cidr: HOST_NETWORK, mac: '0a:00:27:00:00:00' } as const;
/** systemd-resolved synthesizes this name for the default gateway (nss-myhostname and the stub both answer it). */
export const GATEWAY_NAME = '_gateway';
/** The DHCP lease the access point gives (a day); NetworkManager renews it at half time. */
const LEASE_S = 86_400;

const VALID = '       valid_lft forever preferred_lft forever';

/** The laptop's own addresses. */
export function isLaptopAddress(ip: string): boolean {
  return ip === WIFI.ip || ip === HOST_ONLY.ip || cidrContains('127.0.0.0/8', ip);
}

/** On the host-only link: reached directly over vboxnet0 (ARP), not through the default route. */
export function onHostOnlyLink(ip: string): boolean {
  return cidrContains(HOST_ONLY.cidr, ip);
}

/** What systemd-resolved answers itself, without asking upstream: the gateway's name and the local hostname. */
export function synthesizedName(ip: string): string | undefined {
  if (ip === WIFI.gateway) return GATEWAY_NAME;
  if (isLaptopAddress(ip) && !ip.startsWith('127.')) return 'laptop';
  return undefined;
}

export function formatLaptopAddr(nowMs: number): string {
  const left = LEASE_S - (Math.floor(nowMs / 1000) % (LEASE_S / 2));
  return [
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00', '    inet 127.0.0.1/8 scope host lo', VALID,
    '    inet6 ::1/128 scope host noprefixroute ', VALID,
    '2: enp0s31f6: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc fq_codel state DOWN group default qlen 1000',
    '    link/ether 8c:16:45:3a:9e:07 brd ff:ff:ff:ff:ff:ff',
    `3: ${WIFI.dev}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000`,
    `    link/ether ${WIFI.mac} brd ff:ff:ff:ff:ff:ff`,
    `    inet ${WIFI.ip}/24 brd 192.168.0.255 scope global dynamic noprefixroute ${WIFI.dev}`,
    `       valid_lft ${left}sec preferred_lft ${left}sec`,
    '    inet6 fe80::3ea9:f4ff:fe5e:218b/64 scope link noprefixroute ', VALID,
    `4: ${HOST_ONLY.dev}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000`,
    `    link/ether ${HOST_ONLY.mac} brd ff:ff:ff:ff:ff:ff`,
    `    inet ${HOST_ONLY.ip}/24 brd 192.168.56.255 scope global ${HOST_ONLY.dev}`, VALID,
    '    inet6 fe80::800:27ff:fe00:0/64 scope link ', VALID,
  ].join('\n') + '\n';
}

/** NetworkManager's routes for the Wi-Fi (metric 600) and the kernel's for vboxnet0. */
export function formatLaptopRoutes(): string {
  return [
    `default via ${WIFI.gateway} dev ${WIFI.dev} proto dhcp src ${WIFI.ip} metric 600 `,
    `${WIFI.cidr} dev ${WIFI.dev} proto kernel scope link src ${WIFI.ip} metric 600 `,
    `${HOST_ONLY.cidr} dev ${HOST_ONLY.dev} proto kernel scope link src ${HOST_ONLY.ip} `,
  ].join('\n') + '\n';
}

/** `hostname -I`: every global address, in interface order. */
export const LAPTOP_ADDRESSES = [WIFI.ip, HOST_ONLY.ip];

/**
 * What listens on the laptop: systemd-resolved's stubs, CUPS, and kubelab itself (the API server and the UI on
 * 127.0.0.1, a `node` process of the learner's: the only one whose process `ss -p` shows to a non-root user).
 */
export function laptopListeners(kubelab: Array<{ local: string; pid: number; fd: number }>) {
  return [
    { proto: 'tcp' as const, local: '127.0.0.53%lo:53', process: 'systemd-resolve', pid: 702, fd: 19, own: false },
    { proto: 'tcp' as const, local: '127.0.0.54:53', process: 'systemd-resolve', pid: 702, fd: 21, own: false },
    { proto: 'tcp' as const, local: '127.0.0.1:631', process: 'cupsd', pid: 1288, fd: 7, own: false },
    ...kubelab.map((k) => ({ proto: 'tcp' as const, local: k.local, process: 'node', pid: k.pid, fd: k.fd, own: true })),
  ];
}
