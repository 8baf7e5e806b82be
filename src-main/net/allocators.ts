/**
 * ClusterIP and NodePort allocators, after pkg/registry/core/service/{ipallocator,portallocator}: a bitmap over the
 * range, static requests anywhere in it, dynamic allocation random in the upper sub-range first
 * (KEP-3070 / KEP-3668: offset = min(max(16, size/step), max)) and in the lower band only when the upper one is full.
 */
import { cidrContains, cidrSize, formatIPv4, parseCidr, parseIPv4, type Cidr } from './ipv4.ts';

export const ErrAllocatedIP = 'provided IP is already allocated';
export const ErrAllocatedPort = 'provided port is already allocated';
export const ErrFull = 'range is full';

/** An allocator error; `message` is the upstream text. */
export class AllocationError extends Error {
  constructor(
    message: string,
    readonly reason: 'allocated' | 'not-in-range' | 'full',
  ) {
    super(message);
  }
}

export function calculateRangeOffset(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  const offset = Math.floor(size / step);
  return Math.min(Math.max(offset, min), max);
}

/** Bitmap with upstream's randomScanStrategyWithOffset. */
class OffsetBitmap {
  private used = new Set<number>();
  constructor(
    readonly max: number,
    readonly offset: number,
    private random: () => number,
  ) {}

  has(i: number): boolean {
    return this.used.has(i);
  }
  get count(): number {
    return this.used.size;
  }
  take(i: number): boolean {
    if (this.used.has(i)) return false;
    this.used.add(i);
    return true;
  }
  release(i: number): void {
    this.used.delete(i);
  }
  next(): number | undefined {
    if (this.used.size >= this.max) return undefined;
    const upper = this.max - this.offset;
    let start = Math.floor(this.random() * upper);
    for (let i = 0; i < upper; i++) {
      const at = this.offset + ((start + i) % upper);
      if (!this.used.has(at)) return at;
    }
    start = Math.floor(this.random() * this.offset);
    for (let i = 0; i < this.offset; i++) {
      const at = (start + i) % this.offset;
      if (!this.used.has(at)) return at;
    }
    return undefined;
  }
}

export class ClusterIPAllocator {
  readonly cidr: Cidr;
  private base: number;
  private bits: OffsetBitmap;

  constructor(
    readonly cidrText: string = '10.96.0.0/12',
    random: () => number = Math.random,
  ) {
    this.cidr = parseCidr(cidrText);
    const size = cidrSize(this.cidr);
    // The network address and (IPv4) the broadcast address are never handed out.
    this.base = this.cidr.network + 1;
    const max = Math.max(0, size - 2);
    this.bits = new OffsetBitmap(max, calculateRangeOffset(size, 16, 256, 16), random);
  }

  /** Reserves a specific IP; throws AllocationError with the upstream message. */
  allocate(ip: string): void {
    const i = this.indexOf(ip);
    if (!this.bits.take(i)) throw new AllocationError(ErrAllocatedIP, 'allocated');
  }

  allocateNext(): string {
    const i = this.bits.next();
    if (i === undefined) throw new AllocationError(ErrFull, 'full');
    this.bits.take(i);
    return formatIPv4(this.base + i);
  }

  release(ip: string): void {
    if (cidrContains(this.cidr, ip)) this.bits.release(parseIPv4(ip) - this.base);
  }

  has(ip: string): boolean {
    return cidrContains(this.cidr, ip) && this.bits.has(parseIPv4(ip) - this.base);
  }

  get used(): number {
    return this.bits.count;
  }

  /** First address of the dynamic (upper) band: 10.96.1.1 for 10.96.0.0/12. */
  get dynamicStart(): string {
    return formatIPv4(this.base + this.bits.offset);
  }

  private indexOf(ip: string): number {
    const n = parseIPv4(ip);
    const i = n - this.base;
    if (!cidrContains(this.cidr, n) || i < 0 || i >= this.bits.max) {
      throw new AllocationError(
        `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidrText}`,
        'not-in-range',
      );
    }
    return i;
  }
}

/** The field error detail the registry reports for a requested clusterIP it could not reserve. */
export function clusterIPAllocationDetail(ip: string, err: AllocationError): string {
  return `failed to allocate IP ${ip}: ${err.message}`;
}

export class NodePortAllocator {
  private bits: OffsetBitmap;

  constructor(
    readonly base = 30000,
    readonly size = 2768,
    random: () => number = Math.random,
  ) {
    this.bits = new OffsetBitmap(size, calculateRangeOffset(size, 16, 128, 32), random);
  }

  get rangeText(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  allocate(port: number): void {
    const i = port - this.base;
    if (!Number.isInteger(port) || i < 0 || i >= this.size) {
      throw new AllocationError(
        `provided port is not in the valid range. The range of valid ports is ${this.rangeText}`,
        'not-in-range',
      );
    }
    if (!this.bits.take(i)) throw new AllocationError(ErrAllocatedPort, 'allocated');
  }

  allocateNext(): number {
    const i = this.bits.next();
    if (i === undefined) throw new AllocationError(ErrFull, 'full');
    this.bits.take(i);
    return this.base + i;
  }

  release(port: number): void {
    this.bits.release(port - this.base);
  }

  has(port: number): boolean {
    return this.bits.has(port - this.base);
  }

  /** First port of the dynamic band: 30086 for the default range. */
  get dynamicStart(): number {
    return this.base + this.bits.offset;
  }
}
