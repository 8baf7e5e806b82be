/** The cluster commands by name: what each runs and its one-line summary for `help`. */
import type { CommandContext } from '../../userland/command.ts';
import { curl } from './curl.ts';
import type { ClusterCommandDeps } from './deps.ts';
import { dig, host, nslookup } from './dns.ts';
import { ip, ss } from './ip-ss.ts';
import { conntrack, iptables, iptablesSave } from './iptables.ts';
import { labControls } from './lab-controls.ts';
import { ping } from './ping.ts';
import { hostname, id, kubectl, ssh, whoami } from './system.ts';
import { vi } from '../vi/vi.ts';
import { wget } from './wget.ts';

export type ClusterCommand = (ctx: CommandContext, deps: ClusterCommandDeps) => Promise<number>;

/** The network clients every place has (in a pod, when its image ships them). */
export const NETWORK: Array<[string, ClusterCommand, string]> = [
  ['curl', curl, 'transfer a URL'],
  ['wget', wget, 'non-interactive network downloader'],
  ['nslookup', nslookup, 'query Internet name servers'],
  ['ping', ping, 'send ICMP ECHO_REQUEST to network hosts'],
  ['ip', ip, 'show routing, network devices, interfaces'],
];

export const NODE_ONLY: Array<[string, ClusterCommand, string]> = [
  ['dig', dig, 'DNS lookup utility'],
  ['host', host, 'DNS lookup utility'],
  ['ss', ss, 'another utility to investigate sockets'],
  ['iptables', iptables, 'administration tool for IPv4 packet filtering and NAT'],
  ['iptables-save', iptablesSave, 'dump iptables rules'],
  ['conntrack', conntrack, 'command line interface for netfilter connection tracking'],
  ['hostname', hostname, 'show the system\'s host name'],
  ['whoami', whoami, 'print effective user name'],
  ['id', id, 'print real and effective user and group IDs'],
  ['ssh', ssh, 'OpenSSH remote login client'],
  ['kubectl', kubectl, 'kubectl controls the Kubernetes cluster manager'],
  ['kubelab', labControls, 'the lab itself: nodes, clock, load balancer, reset'],
  ['vi', vi, 'Vi IMproved, a programmer\'s text editor'],
  ['vim', vi, 'Vi IMproved, a programmer\'s text editor'],
];
