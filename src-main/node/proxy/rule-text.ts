/** One rule as `iptables-save` writes it and as `iptables -L` prints it (libxtables save/print callbacks). */
import type { AddressMatch, Match, Rule, Target } from './model.ts';

/** How the statistic match stores a probability: a u32 of p * 2^31, printed with 11 decimals. */
export function printedProbability(p: number): string {
  return (Math.round(p * 0x80000000) / 0x80000000).toFixed(11);
}

const NO_QUOTE = /^[_\-0-9a-zA-Z]+$/;

/** xtables_save_string: bare when only [_-0-9a-zA-Z], else double-quoted with \ " ' escaped. */
export function saveString(value: string): string {
  if (NO_QUOTE.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** -s / -d value: host addresses get /32. */
export function saveAddress(cidr: string): string {
  return cidr.includes('/') ? cidr : `${cidr}/32`;
}

/** Column value in `iptables -L -n`: /32 dropped. */
export function listAddress(a: AddressMatch | undefined, numeric: boolean): string {
  if (!a) return numeric ? '0.0.0.0/0' : 'anywhere';
  const [ip, len] = a.cidr.split('/');
  return !len || len === '32' ? ip! : `${ip}/${len}`;
}

export function saveMatch(m: Match): string {
  switch (m.kind) {
    case 'comment':
      return ` -m comment --comment ${saveString(m.comment)}`;
    case 'proto':
      return ` -m ${m.proto}${m.dport !== undefined ? ` --dport ${m.dport}` : ''}`;
    case 'statistic':
      return ` -m statistic --mode random --probability ${printedProbability(m.probability)}`;
    case 'recent':
      return (
        ` -m recent ${m.op === 'set' ? '--set' : '--rcheck'}` +
        (m.seconds ? ` --seconds ${m.seconds}` : '') +
        (m.reap ? ' --reap' : '') +
        ` --name ${m.name} --mask 255.255.255.255 --rsource`
      );
    case 'addrtype': {
      const neg = m.negate ? ' !' : '';
      return ` -m addrtype${m.srcType ? `${neg} --src-type ${m.srcType}` : ''}${m.dstType ? `${neg} --dst-type ${m.dstType}` : ''}`;
    }
    case 'mark':
      return ` -m mark${m.negate ? ' !' : ''} --mark ${markText(m.mark, m.mask)}`;
    case 'conntrack':
      return ` -m conntrack${m.negate ? ' !' : ''} --ctstate ${m.ctstate.join(',')}`;
  }
}

function markText(mark: number, mask: number): string {
  return mask === 0xffffffff ? hex(mark) : `${hex(mark)}/${hex(mask)}`;
}

export function targetName(t: Target | undefined): string {
  if (!t) return '';
  return t.kind === 'jump' ? t.chain : t.kind;
}

export function saveTarget(t: Target | undefined): string {
  if (!t) return '';
  switch (t.kind) {
    case 'jump':
      return ` -j ${t.chain}`;
    case 'REJECT':
      return ` -j REJECT --reject-with ${t.rejectWith}`;
    case 'DNAT':
      return ` -j DNAT --to-destination ${t.ip}:${t.port}`;
    case 'MARK':
      return ` -j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'MASQUERADE':
      return ` -j MASQUERADE${t.randomFully ? ' --random-fully' : ''}`;
    default:
      return ` -j ${t.kind}`;
  }
}

/** `-A CHAIN ...` exactly as iptables-save prints it: -s, -d, -p first, then matches in order, then the target. */
export function saveRule(chain: string, r: Rule): string {
  let s = `-A ${chain}`;
  if (r.src) s += `${r.src.negate ? ' !' : ''} -s ${saveAddress(r.src.cidr)}`;
  if (r.dst) s += `${r.dst.negate ? ' !' : ''} -d ${saveAddress(r.dst.cidr)}`;
  if (r.proto) s += ` -p ${r.proto}`;
  for (const m of r.matches) s += saveMatch(m);
  return s + saveTarget(r.target);
}

const SERVICE_NAMES: Record<string, Record<number, string>> = {
  tcp: { 22: 'ssh', 53: 'domain', 80: 'http', 443: 'https', 8080: 'http-alt' },
  udp: { 53: 'domain' },
};

export function printMatch(m: Match, numeric: boolean): string {
  switch (m.kind) {
    case 'comment':
      return ` /* ${m.comment} */`;
    case 'proto': {
      if (m.dport === undefined) return ` ${m.proto}`;
      const name = numeric ? undefined : SERVICE_NAMES[m.proto]?.[m.dport];
      return ` ${m.proto} dpt:${name ?? m.dport}`;
    }
    case 'statistic':
      return ` statistic mode random probability ${printedProbability(m.probability)}`;
    case 'recent':
      return (
        ` recent: ${m.op === 'set' ? 'SET' : 'CHECK'}` +
        (m.seconds ? ` seconds: ${m.seconds}` : '') +
        (m.reap ? ' reap' : '') +
        ` name: ${m.name} side: source mask: 255.255.255.255`
      );
    case 'addrtype': {
      const neg = m.negate ? '!' : '';
      return ` ADDRTYPE match${m.srcType ? ` src-type ${neg}${m.srcType}` : ''}${m.dstType ? ` dst-type ${neg}${m.dstType}` : ''}`;
    }
    case 'mark':
      return ` mark match${m.negate ? ' !' : ''} ${markText(m.mark, m.mask)}`;
    case 'conntrack':
      return `${m.negate ? ' !' : ''} ctstate ${m.ctstate.join(',')}`;
  }
}

export function printTarget(t: Target | undefined): string {
  if (!t) return '';
  switch (t.kind) {
    case 'REJECT':
      return ` reject-with ${t.rejectWith}`;
    case 'DNAT':
      return ` to:${t.ip}:${t.port}`;
    case 'MARK':
      if (t.mask === 0xffffffff) return ` MARK set ${hex(t.value)}`;
      if (t.value === t.mask) return ` MARK or ${hex(t.value)}`;
      if (t.value === 0) return ` MARK and ${hex(~t.mask)}`;
      if (t.mask === 0) return ` MARK xor ${hex(t.value)}`;
      return ` MARK xset ${hex(t.value)}/${hex(t.mask)}`;
    case 'MASQUERADE':
      return t.randomFully ? ' random-fully' : '';
    default:
      return '';
  }
}

/** xtables_print_num: with K/M/G unless -x (exact). */
export function formatCount(n: number, exact: boolean, table = true): string {
  if (exact) return table ? `${n}`.padStart(8) + ' ' : `${n} `;
  if (n <= 99999) return table ? `${n}`.padStart(5) + ' ' : `${n} `;
  for (const unit of ['K', 'M', 'G', 'T']) {
    n = Math.floor((n + 500) / 1000);
    if (n <= 9999 || unit === 'T') return table ? `${n}`.padStart(4) + `${unit} ` : `${n}${unit} `;
  }
  return `${n} `;
}

export interface ListFormat {
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
}

export function listHeader(f: ListFormat): string {
  let s = '';
  if (f.lineNumbers) s += 'num  ';
  if (f.verbose) s += f.exact ? `${'pkts'.padStart(8)} ${'bytes'.padStart(10)} ` : ' pkts bytes ';
  s += 'target     prot opt ';
  if (f.verbose) s += 'in     out     ';
  return s + 'source               destination         ';
}

export function listRule(r: Rule, num: number, f: ListFormat): string {
  let s = '';
  if (f.lineNumbers) s += `${num}`.padEnd(4) + ' ';
  if (f.verbose) s += formatCount(r.counters.packets, f.exact) + formatCount(r.counters.bytes, f.exact);
  s += targetName(r.target).padEnd(9) + ' ';
  s += ' ' + (r.proto ?? 'all').padEnd(5) + '-- ';
  if (f.verbose) s += ' ' + '*'.padEnd(6) + ' ' + '*'.padEnd(6) + ' ';
  s += (r.src?.negate ? '!' : ' ') + listAddress(r.src, f.numeric).padEnd(19) + ' ';
  s += (r.dst?.negate ? '!' : ' ') + listAddress(r.dst, f.numeric).padEnd(19) + ' ';
  for (const m of r.matches) s += printMatch(m, f.numeric);
  return s + printTarget(r.target);
}
