/**
 * The lab's default address plan (kubeadm + flannel defaults on a VirtualBox-style host-only network) and the
 * IPv4 helpers and allocators everything else uses.
 */
import { formatIPv4, nthAddress, parseIPv4, rangeContains, subnet } from './ipv4.ts';

export * from './ipv4.ts';
export * from './allocators.ts';

export const HOST_NETWORK = '192.168.56.0/24';
/** The laptop running kubelab, as seen from the nodes (the host-only adapter). */
export const LAPTOP_IP = '192.168.56.1';
export const FIRST_NODE_IP = '192.168.56.10';
export const CLUSTER_CIDR = '10.244.0.0/16';
export const NODE_CIDR_MASK = 24;
export const SERVICE_CIDR = '10.96.0.0/12';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const CLUSTER_DNS_IP = '10.96.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';
export const LOAD_BALANCER_POOL = { first: '192.168.56.240', last: '192.168.56.250' } as const;
export const NODE_PORT_RANGE = { base: 30000, size: 2768 } as const;
/** kube-apiserver secure port; the `kubernetes` service forwards 443 to it. */
export const APISERVER_PORT = 6443;

/** Node index 0 is the control plane: 192.168.56.10, 10.244.0.0/24. */
export function nodeIP(index: number): string {
  return formatIPv4(parseIPv4(FIRST_NODE_IP) + index);
}

export function podCIDR(index: number): string {
  return subnet(CLUSTER_CIDR, NODE_CIDR_MASK, index);
}

/** The bridge (cni0) address of a node's pod subnet: the .1 of its /24. Pods start at .2. */
export function podGateway(index: number): string {
  return nthAddress(podCIDR(index), 1);
}

export function inLoadBalancerPool(ip: string): boolean {
  return rangeContains(LOAD_BALANCER_POOL.first, LOAD_BALANCER_POOL.last, ip);
}

/** Hands out pod IPs from one node's /24 the way host-local IPAM does: lowest free from .2, skipping the gateway. */
export class PodIPAllocator {
  private used = new Set<string>();
  private next = 2;
  constructor(readonly cidr: string) {}

  allocate(): string {
    const size = 2 ** (32 - Number(this.cidr.split('/')[1]));
    // host-local continues after the last handed-out address and wraps, so a released IP is not reused at once.
    for (let tries = 0; tries < size - 3; tries++) {
      const i = this.next;
      this.next = this.next + 1 >= size - 1 ? 2 : this.next + 1;
      const ip = nthAddress(this.cidr, i);
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    throw new Error(`failed to allocate for range 0: no IP addresses available in range set: ${nthAddress(this.cidr, 1)}-${nthAddress(this.cidr, size - 2)}`);
  }

  release(ip: string): void {
    this.used.delete(ip);
  }
}

/** A small MetalLB-like pool for LoadBalancer ingress IPs. */
export class LoadBalancerIPPool {
  private used = new Set<string>();
  constructor(readonly first: string = LOAD_BALANCER_POOL.first, readonly last: string = LOAD_BALANCER_POOL.last) {}

  allocate(requested?: string): string | undefined {
    if (requested) {
      if (!rangeContains(this.first, this.last, requested) || this.used.has(requested)) return undefined;
      this.used.add(requested);
      return requested;
    }
    for (let n = parseIPv4(this.first); n <= parseIPv4(this.last); n++) {
      const ip = formatIPv4(n);
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    return undefined;
  }

  release(ip: string): void {
    this.used.delete(ip);
  }
}
