/**
 * iptables rules as data: enough structure to print them the way iptables-save / iptables -L do and to evaluate
 * them against a packet. Only the matches and targets kube-proxy and the kubelet use are modelled.
 */

export type Proto = 'tcp' | 'udp' | 'sctp';

export type Match =
  | { kind: 'comment'; comment: string }
  /** `-m tcp [--dport N]` (the `-p` itself is Rule.proto). */
  | { kind: 'proto'; proto: Proto; dport?: number }
  | { kind: 'statistic'; probability: number }
  | { kind: 'recent'; op: 'rcheck' | 'set'; name: string; seconds?: number; reap?: boolean }
  | { kind: 'addrtype'; dstType?: 'LOCAL'; srcType?: 'LOCAL'; negate?: boolean }
  | { kind: 'mark'; mark: number; mask: number; negate?: boolean }
  | { kind: 'conntrack'; ctstate: string[]; negate?: boolean };

export type Target =
  | { kind: 'jump'; chain: string }
  | { kind: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { kind: 'REJECT'; rejectWith: string }
  | { kind: 'DNAT'; ip: string; port: number }
  | { kind: 'MARK'; value: number; mask: number }
  | { kind: 'MASQUERADE'; randomFully: boolean };

export interface AddressMatch {
  /** CIDR or bare address; printed with /32 when bare. */
  cidr: string;
  negate?: boolean;
}

export interface Counters {
  packets: number;
  bytes: number;
}

export interface Rule {
  src?: AddressMatch;
  dst?: AddressMatch;
  proto?: Proto;
  matches: Match[];
  /** Absent for a rule that only counts (KUBE-FW's last rule). */
  target?: Target;
  counters: Counters;
}

export interface Chain {
  name: string;
  builtin: boolean;
  /** Built-in chains only. */
  policy?: 'ACCEPT' | 'DROP';
  rules: Rule[];
  /** Packets that fell off the end of a built-in chain and took its policy. */
  policyCounters: Counters;
}

export type TableName = 'nat' | 'filter';

export interface IptTable {
  name: TableName;
  /** Insertion order does not matter: views sort built-ins first, then user chains by name. */
  chains: Map<string, Chain>;
}

/** What kube-proxy (plus the kubelet's own chains) programs on one node. */
export interface NatTable {
  nodeName: string;
  nodeIP: string;
  clusterCIDR: string;
  /** Addresses `addrtype LOCAL` matches: node IP, pod bridge address, loopback is implied. */
  localAddresses: string[];
  nat: IptTable;
  filter: IptTable;
  /** `conntrack -D` filters kube-proxy runs once this table is installed (stale UDP flows); consumed by the netstack. */
  conntrackFlush?: ConntrackFlush[];
}

/** One `conntrack -D -p <proto> [--orig-dst ip] [--dport n] [--reply-src ip] [--reply-port-src n]`. */
export interface ConntrackFlush {
  proto: Proto;
  origDst?: string;
  origDport?: number;
  replySrc?: string;
  replySport?: number;
}

export const MASQ_MARK = 0x4000;

export const BUILTIN_CHAINS: Record<TableName, string[]> = {
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export function newTable(name: TableName): IptTable {
  const chains = new Map<string, Chain>();
  for (const c of BUILTIN_CHAINS[name]) chains.set(c, { name: c, builtin: true, policy: 'ACCEPT', rules: [], policyCounters: zero() });
  return { name, chains };
}

export function zero(): Counters {
  return { packets: 0, bytes: 0 };
}

export function ensureChain(table: IptTable, name: string): Chain {
  let c = table.chains.get(name);
  if (!c) {
    c = { name, builtin: false, rules: [], policyCounters: zero() };
    table.chains.set(name, c);
  }
  return c;
}

export interface RuleSpec {
  src?: string | AddressMatch;
  dst?: string | AddressMatch;
  proto?: Proto;
  matches?: Match[];
  target?: Target;
}

export function appendRule(table: IptTable, chain: string, spec: RuleSpec): Rule {
  const rule: Rule = {
    src: typeof spec.src === 'string' ? { cidr: spec.src } : spec.src,
    dst: typeof spec.dst === 'string' ? { cidr: spec.dst } : spec.dst,
    proto: spec.proto,
    matches: spec.matches ?? [],
    target: spec.target,
    counters: zero(),
  };
  ensureChain(table, chain).rules.push(rule);
  return rule;
}

/** Chains in the order legacy iptables lists them: built-ins first, then user chains sorted by name. */
export function orderedChains(table: IptTable): Chain[] {
  const builtins = BUILTIN_CHAINS[table.name].map((n) => table.chains.get(n)!).filter(Boolean);
  const user = [...table.chains.values()].filter((c) => !c.builtin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...builtins, ...user];
}

/** Number of rules in the table that jump to `chain` (the `(N references)` of iptables -L). */
export function references(table: IptTable, chain: string): number {
  let n = 0;
  for (const c of table.chains.values()) for (const r of c.rules) if (r.target?.kind === 'jump' && r.target.chain === chain) n++;
  return n;
}

export const jump = (chain: string): Target => ({ kind: 'jump', chain });
export const comment = (text: string): Match => ({ kind: 'comment', comment: text });
