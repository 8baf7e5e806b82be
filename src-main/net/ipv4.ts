/** IPv4 arithmetic on 32-bit unsigned integers. */

export function parseIPv4(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${ip}"`);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) throw new Error(`invalid IPv4 address "${ip}"`);
    const v = Number(p);
    if (v > 255) throw new Error(`invalid IPv4 address "${ip}"`);
    n = n * 256 + v;
  }
  return n >>> 0;
}

export function isIPv4(ip: string): boolean {
  try {
    parseIPv4(ip);
    return true;
  } catch {
    return false;
  }
}

export function formatIPv4(n: number): string {
  n = n >>> 0;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export interface Cidr {
  /** Network address (host bits cleared). */
  network: number;
  prefix: number;
}

export function parseCidr(cidr: string): Cidr {
  const [ip, len] = cidr.includes('/') ? cidr.split('/') : [cidr, '32'];
  const prefix = Number(len);
  if (!/^\d{1,2}$/.test(len!) || prefix > 32) throw new Error(`invalid CIDR address: ${cidr}`);
  return { network: (parseIPv4(ip!) & maskOf(prefix)) >>> 0, prefix };
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.network)}/${c.prefix}`;
}

/** Number of addresses in the block (2^(32-prefix)). */
export function cidrSize(c: Cidr | string): number {
  const p = typeof c === 'string' ? parseCidr(c) : c;
  return 2 ** (32 - p.prefix);
}

/** The data path matches the same few addresses and rule CIDRs millions of times: parse each once. */
const CACHE_LIMIT = 8192;
const parsedCidrs = new Map<string, Cidr>();
const parsedIPs = new Map<string, number>();

function cachedCidr(cidr: string): Cidr {
  let c = parsedCidrs.get(cidr);
  if (c === undefined) {
    c = parseCidr(cidr);
    if (parsedCidrs.size >= CACHE_LIMIT) parsedCidrs.clear();
    parsedCidrs.set(cidr, c);
  }
  return c;
}

function cachedIPv4(ip: string): number {
  let n = parsedIPs.get(ip);
  if (n === undefined) {
    n = parseIPv4(ip);
    if (parsedIPs.size >= CACHE_LIMIT) parsedIPs.clear();
    parsedIPs.set(ip, n);
  }
  return n;
}

export function cidrContains(cidr: Cidr | string, ip: string | number): boolean {
  const c = typeof cidr === 'string' ? cachedCidr(cidr) : cidr;
  const n = typeof ip === 'string' ? cachedIPv4(ip) : ip;
  return ((n & maskOf(c.prefix)) >>> 0) === c.network;
}

/** The i-th address of a block (0 = network address). */
export function nthAddress(cidr: Cidr | string, i: number): string {
  const c = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  if (i < 0 || i >= cidrSize(c)) throw new Error(`index ${i} outside ${formatCidr(c)}`);
  return formatIPv4(c.network + i);
}

/** The n-th /`prefix` subnet inside `parent` (10.244.0.0/16, 24, 2 -> 10.244.2.0/24). */
export function subnet(parent: string, prefix: number, index: number): string {
  const c = parseCidr(parent);
  if (prefix < c.prefix) throw new Error(`/${prefix} does not fit in ${parent}`);
  const count = 2 ** (prefix - c.prefix);
  if (index < 0 || index >= count) throw new Error(`subnet ${index} outside ${parent}`);
  return formatCidr({ network: c.network + index * 2 ** (32 - prefix), prefix });
}

/** Inclusive address range "a-b" or explicit bounds. */
export function rangeContains(first: string, last: string, ip: string): boolean {
  const n = parseIPv4(ip);
  return n >= parseIPv4(first) && n <= parseIPv4(last);
}

/** Sort comparator for dotted quads in numeric order. */
export function compareIPv4(a: string, b: string): number {
  return parseIPv4(a) - parseIPv4(b);
}

/** Dashed form used by DNS pod/endpoint names: 10.244.1.5 -> 10-244-1-5. */
export function dashed(ip: string): string {
  return ip.replaceAll('.', '-');
}

/** in-addr.arpa name: 10.96.0.1 -> 1.0.96.10.in-addr.arpa */
export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}
