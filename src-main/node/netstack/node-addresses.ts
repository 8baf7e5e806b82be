/**
 * A node's addresses as flannel (vxlan) and the kernel give them: eth0's node address, `.1` on cni0 (the bridge to
 * its own pods), `.0` on flannel.1 (towards the other nodes' pod CIDRs), and lo's 127.0.0.0/8.
 */
import { cidrContains } from '../../net/ipv4.ts';
import { CLUSTER_CIDR } from '../../net/addresses.ts';
import { isLoopback, LOOPBACK_ADDRESS } from './host-sockets.ts';

export class NodeAddresses {
  readonly bridge: string;
  readonly flannel: string;

  constructor(
    readonly ip: string,
    readonly podCIDR: string,
  ) {
    const base = podCIDR.split('/')[0]!.split('.').slice(0, 3).join('.');
    this.bridge = `${base}.1`;
    this.flannel = `${base}.0`;
  }

  /** Whether `ip` is one of this node's own addresses (a packet to it is taken in, not forwarded). */
  isOwn(ip: string): boolean {
    return ip === this.ip || ip === this.bridge || ip === this.flannel || isLoopback(ip);
  }

  /** The source of the route to `target`: what a socket here is bound to, and what MASQUERADE picks. */
  sourceTowards(target: string): string {
    if (isLoopback(target)) return LOOPBACK_ADDRESS;
    if (cidrContains(this.podCIDR, target)) return this.bridge;
    if (cidrContains(CLUSTER_CIDR, target)) return this.flannel;
    return this.ip;
  }

  /** Whether a pod's packet to `ip` leaves the pod network through this node (flannel masquerades those). */
  leavesPodNetwork(ip: string): boolean {
    return !cidrContains(CLUSTER_CIDR, ip) && !this.isOwn(ip);
  }
}
