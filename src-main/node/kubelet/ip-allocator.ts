/**
 * host-local IPAM as kind/kubeadm CNI configure it: addresses from the node's pod CIDR, .0 (network) and .1
 * (the bridge gateway) never handed out, allocation continues after the last address given, so a recreated pod
 * gets a new IP and an address is reused only once the range wraps.
 */
export class IpAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly inUse = new Set<number>();
  private last: number;

  constructor(cidr: string) {
    const [addr, bitsText] = cidr.split('/');
    const bits = Number(bitsText);
    if (!(bits >= 8 && bits <= 30)) throw new Error(`unsupported pod CIDR ${cidr}`);
    this.size = 2 ** (32 - bits);
    this.base = ipToInt(addr) & ~(this.size - 1) >>> 0;
    this.last = 1;
  }

  /** Next free address after the last one handed out; undefined when the range is full. */
  allocate(): string | undefined {
    let offset = this.last;
    for (let i = 0; i < this.size; i++) {
      offset = offset + 1 > this.size - 2 ? 2 : offset + 1;
      if (this.inUse.has(offset)) continue;
      this.inUse.add(offset);
      this.last = offset;
      return intToIp((this.base + offset) >>> 0);
    }
    return undefined;
  }

  release(ip: string): void {
    this.inUse.delete(((ipToInt(ip) - this.base) >>> 0));
  }

  /** The gateway (.1), the address the bridge has on the node. */
  gateway(): string {
    return intToIp((this.base + 1) >>> 0);
  }
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, p) => ((acc << 8) | Number(p)) >>> 0, 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map(s => (n >>> s) & 255).join('.');
}
