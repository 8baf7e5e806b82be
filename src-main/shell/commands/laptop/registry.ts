/**
 * The laptop shell's commands: the generic tools, the network clients (leaving from 192.168.56.1 / the Wi-Fi, see
 * network.ts), kubectl against the lab's API server, `kubelab` itself, ssh to the nodes. What a non-root user on a
 * laptop cannot do (iptables, conntrack) answers as it does there.
 */
import { CommandRegistry, type Command } from '../../../userland/command.ts';
import { registerGenericTools } from '../../../userland/tools/index.ts';
import { curl } from '../curl.ts';
import type { ClusterCommandDeps } from '../deps.ts';
import { dig, host, nslookup } from '../dns.ts';
import { ip, ss } from '../ip-ss.ts';
import { kubectlCompleter } from '../kubectl-complete.ts';
import { labControls } from '../lab-controls.ts';
import { ping } from '../ping.ts';
import { hostname, id, kubectl, ssh, whoami } from '../system.ts';
import { traceroute } from '../traceroute.ts';
import { vi } from '../../vi/vi.ts';
import { wget } from '../wget.ts';

type LaptopCommand = (ctx: Parameters<Command>[0], deps: ClusterCommandDeps) => Promise<number>;

/** iptables-nft as a non-root user: the netlink socket is refused before anything is read. */
const notRoot = (tool: string): LaptopCommand => async (ctx) => {
  await ctx.stderr.write(`${tool} v1.8.10 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n`);
  return 4;
};

const COMMANDS: Array<[string, LaptopCommand, string]> = [
  ['curl', curl, 'transfer a URL'],
  ['wget', wget, 'non-interactive network downloader'],
  ['nslookup', nslookup, 'query Internet name servers'],
  ['dig', dig, 'DNS lookup utility'],
  ['host', host, 'DNS lookup utility'],
  ['ping', ping, 'send ICMP ECHO_REQUEST to network hosts'],
  ['traceroute', traceroute, 'print the route packets trace to network host'],
  ['ip', ip, 'show routing, network devices, interfaces'],
  ['ss', ss, 'another utility to investigate sockets'],
  ['iptables', notRoot('iptables'), 'administration tool for IPv4 packet filtering and NAT'],
  ['iptables-save', notRoot('iptables-save'), 'dump iptables rules'],
  ['hostname', hostname, 'show the system\'s host name'],
  ['whoami', (ctx) => whoami(ctx), 'print effective user name'],
  ['id', (ctx) => id(ctx), 'print real and effective user and group IDs'],
  ['ssh', ssh, 'OpenSSH remote login client'],
  ['kubectl', kubectl, 'kubectl controls the Kubernetes cluster manager'],
  ['kubelab', labControls, 'the lab itself: nodes, clock, load balancer, reset'],
  ['vi', vi, 'Vi IMproved, a programmer\'s text editor'],
  ['vim', vi, 'Vi IMproved, a programmer\'s text editor'],
];

export function createLaptopRegistry(deps: ClusterCommandDeps): CommandRegistry {
  const registry = registerGenericTools(new CommandRegistry());
  for (const [name, run, summary] of COMMANDS) {
    registry.register(name, (ctx) => run(ctx, deps), summary, name === 'kubectl' ? kubectlCompleter(deps.cluster) : undefined);
  }
  return registry;
}
