/**
 * `kubelab traffic`: what really went over the cluster's data path in a window, kubectl-style, with exit-code forms
 * for lesson checks (`kubelab traffic svc/web --since step --expect-endpoints 2`). See docs/lessons.md.
 */
import { parseArgs } from 'node:util';
import { flowsSince, parseDuration, rulesSince, type FlowCount, type NodeFlows, type RuleCount } from './counts.ts';
import type { TrafficQueries } from './tracker.ts';
import { serviceTraffic, servicesTraffic, type Registryish } from './service-traffic.ts';
import { checkService, checkRules, type ServiceExpectations } from './expectations.ts';
import { printClients, printEndpoints, printRules, printServices } from './print.ts';

export const TRAFFIC_USAGE = `Show what went over the cluster's data path: connections per Service endpoint and client, packets per rule.

Usage:
  kubelab traffic svc/NAME [-n NAMESPACE] [--since step|mark|DURATION] [--by endpoint|client] [-o wide|json] [-q]
  kubelab traffic svc [-n NAMESPACE | -A] [--since ...]
  kubelab traffic rules --node NODE [-t nat|filter] [--chain CHAIN] [--match TEXT] [--all] [--since step|mark] [-o json]
  kubelab traffic mark

Windows (--since):
  step        since the current lesson step began (the lesson engine marks the counters then)
  mark        since the last 'kubelab traffic mark'
  DURATION    in the last 30s, 5m, 1h30m of cluster time (about one second of resolution)
  (none)      since each node started

Filters (svc):
  --client IP|NAME      only connections from this client (an IP, node/NAME, pod/NS/NAME or laptop)
  --entry NODE          only connections that entered the cluster's data path on NODE

Checks (exit 0 when met, 1 with the reason on stderr when not):
  --expect-endpoints N  at least N endpoints answered
  --expect-answered N   at least N connections were answered
  --expect-failed N     at least N connections failed (refused, timed out, no route)
  --expect-pinned       every client that was answered got all its answers from one endpoint
  --expect-seen-as IP   every answered connection reached its pod from source address IP
  --expect-packets N    (rules) at least N packets entered --chain, or matched the listed rules with --match
  -q, --quiet           print nothing, only the exit status
`;

type Out = { stdout(s: string): Promise<void> | void; stderr(s: string): Promise<void> | void };

export interface TrafficCommandDeps {
  queries: TrafficQueries;
  registry: Registryish;
}

class TrafficError extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}

const OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  since: { type: 'string' },
  output: { type: 'string', short: 'o' },
  by: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  node: { type: 'string' },
  table: { type: 'string', short: 't' },
  chain: { type: 'string' },
  match: { type: 'string' },
  all: { type: 'boolean' },
  client: { type: 'string' },
  entry: { type: 'string' },
  'expect-endpoints': { type: 'string' },
  'expect-answered': { type: 'string' },
  'expect-failed': { type: 'string' },
  'expect-pinned': { type: 'boolean' },
  'expect-seen-as': { type: 'string' },
  'expect-packets': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export interface Window {
  kind: 'start' | 'step' | 'mark' | 'duration';
  /** Cluster time the window starts at (0: since the nodes started). */
  from: number;
  /** "since the step began", "in the last 30s". */
  text: string;
}

function count(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new TrafficError(`error: invalid argument "${v}" for "--${flag}" flag: must be a whole number`, 2);
  return Number(v);
}

/** The window's baseline per node: a mark's snapshot, a history sample, or nothing. */
function windowOf(since: string | undefined, q: TrafficQueries, forRules: boolean): { window: Window; flows?: Map<string, NodeFlows>; mark?: ReturnType<TrafficQueries['getMark']> } {
  if (since === undefined) return { window: { kind: 'start', from: 0, text: 'since the nodes started' } };
  if (since === 'step' || since === 'mark') {
    const mark = q.getMark(since);
    if (!mark) {
      throw new TrafficError(since === 'step'
        ? "kubelab traffic: --since step: no lesson step is running (start one with 'kubelab lesson start ID')"
        : "kubelab traffic: --since mark: no mark was set (set one with 'kubelab traffic mark')");
    }
    return { window: { kind: since, from: mark.at, text: since === 'step' ? 'since the step began' : 'since the mark' }, flows: mark.flows, mark };
  }
  const ms = parseDuration(since);
  if (ms === null) throw new TrafficError(`error: invalid argument "${since}" for "--since" flag: want step, mark or a duration such as 30s, 5m, 1h`, 2);
  if (forRules) throw new TrafficError('kubelab traffic rules: --since takes step or mark (rule counters are not sampled over time)', 2);
  const from = q.now() - ms;
  return { window: { kind: 'duration', from, text: `in the last ${since}` }, flows: q.baselineAt(from) };
}

function matchesClient(f: FlowCount, client: string): boolean {
  if (client === f.client.ip) return true;
  if (client === 'laptop') return f.client.kind === 'laptop';
  return client === `${f.client.kind}/${f.client.name}` || (f.client.kind === 'node' && client === f.client.name);
}

export async function runTrafficCommand(argv: string[], out: Out, deps: TrafficCommandDeps): Promise<number> {
  let quiet = false;
  try {
    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw new TrafficError(`error: ${(e as Error).message.replace(/\. To specify a positional.*$/s, '').replace(/^Unknown option '(.*)'$/, 'unknown flag: $1')}\nSee 'kubelab traffic --help' for usage.`, 2);
    }
    const { values: v, positionals: pos } = parsed;
    quiet = v.quiet === true;
    if (v.help || pos.length === 0) {
      await out.stdout(TRAFFIC_USAGE);
      return v.help ? 0 : 2;
    }
    const output = v.output;
    if (output !== undefined && output !== 'wide' && output !== 'json') throw new TrafficError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,wide`);
    const [what, ...rest] = pos;
    if (what === 'mark') {
      await deps.queries.mark('mark');
      if (!quiet) await out.stdout('traffic counters marked\n');
      return 0;
    }
    if (what === 'rules') return await rulesCommand(v, out, deps);
    const target = what === 'svc' || what === 'service' || what === 'services' ? rest[0] : /^(svc|service|services)\//.test(what ?? '') ? what!.slice(what!.indexOf('/') + 1) : undefined;
    if (target === undefined && !/^(svc|service|services)$/.test(what ?? '')) {
      throw new TrafficError(`error: the server doesn't have a resource type "${(what ?? '').split('/')[0]}" (kubelab traffic knows svc and rules)`);
    }
    const { window, flows: base } = windowOf(v.since, deps.queries, false);
    const { nodes, missing } = await deps.queries.flows();
    let flows = nodes.flatMap((n) => flowsSince(n, base?.get(n.node)));
    if (v.client) flows = flows.filter((f) => matchesClient(f, v.client!));
    if (v.entry) flows = flows.filter((f) => f.entryNode === v.entry);
    if (missing.length && !quiet) await out.stderr(`kubelab traffic: not counted: ${missing.map((m) => `node/${m}`).join(', ')} (not running)\n`);

    if (target === undefined) {
      const ns = v['all-namespaces'] ? undefined : (v.namespace ?? 'default');
      const rows = servicesTraffic(flows, ns);
      if (quiet) return 0;
      if (output === 'json') await out.stdout(`${JSON.stringify({ kind: 'ServiceTrafficList', window, items: rows }, null, 2)}\n`);
      else await out.stdout(rows.length ? printServices(rows, ns === undefined) : `No traffic ${window.text}${ns ? ` in ${ns} namespace` : ''}.\n`);
      return 0;
    }
    const ns = v.namespace ?? 'default';
    const t = serviceTraffic(deps.registry, ns, target, flows);
    if (!t.exists && t.endpoints.length === 0) throw new TrafficError(`Error from server (NotFound): services "${target}" not found`);
    const expect: ServiceExpectations = {
      endpoints: count(v['expect-endpoints'], 'expect-endpoints'),
      answered: count(v['expect-answered'], 'expect-answered'),
      failed: count(v['expect-failed'], 'expect-failed'),
      pinned: v['expect-pinned'] === true,
      seenAs: v['expect-seen-as'],
    };
    if (!quiet) {
      if (output === 'json') await out.stdout(`${JSON.stringify({ kind: 'ServiceTraffic', service: `${ns}/${target}`, window, endpoints: t.endpoints, clients: t.clients }, null, 2)}\n`);
      else if (v.by === 'client') await out.stdout(t.clients.length ? printClients(t.clients, output === 'wide') : `No connections to service ${ns}/${target} ${window.text}.\n`);
      else if (v.by === undefined || v.by === 'endpoint') await out.stdout(printEndpoints(t.endpoints, output === 'wide'));
      else throw new TrafficError(`error: invalid argument "${v.by}" for "--by" flag: want endpoint or client`, 2);
    }
    const problems = checkService(t, expect, window, flows);
    if (problems.length) {
      if (!quiet) await out.stderr(problems.map((p) => `${p}\n`).join(''));
      return 1;
    }
    return 0;
  } catch (e) {
    const code = e instanceof TrafficError ? e.code : 1;
    if (!quiet || code === 2) await out.stderr(`${e instanceof TrafficError ? e.message : `kubelab traffic: ${(e as Error).message}`}\n`);
    return code;
  }
}

async function rulesCommand(v: Values, out: Out, deps: TrafficCommandDeps): Promise<number> {
  const quiet = v.quiet === true;
  if (!v.node) throw new TrafficError("error: kubelab traffic rules needs --node NODE (e.g. --node master)\nSee 'kubelab traffic --help' for usage.", 2);
  const table = v.table ?? 'nat';
  if (table !== 'nat' && table !== 'filter') {
    throw new TrafficError(`iptables v1.8.10 (nf_tables): can't initialize iptables table \`${table}': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.`);
  }
  const { window, mark } = windowOf(v.since, deps.queries, true);
  const current = await deps.queries.rules(v.node);
  const all = rulesSince(current, mark?.rules.get(v.node)).filter((r) => r.table === table);
  if (v.chain && !current.chains.some((c) => c.table === table && c.name === v.chain)) throw new TrafficError('iptables: No chain/target/match by that name.');
  let listed: RuleCount[] = v.chain ? all.filter((r) => r.chain === v.chain) : all;
  if (v.match) listed = listed.filter((r) => r.text.includes(v.match!));
  if (!v.chain && !v.all) listed = listed.filter((r) => r.packets > 0);
  const entered = v.chain ? enteredPackets(all, v.chain) : undefined;
  if (!quiet) {
    if (v.output === 'json') await out.stdout(`${JSON.stringify({ kind: 'RuleTraffic', node: v.node, table, chain: v.chain ?? null, window, entered: entered ?? null, rules: listed }, null, 2)}\n`);
    else await out.stdout(listed.length ? printRules(listed) : `No packets matched ${table} rules on ${v.node} ${window.text}.\n`);
  }
  const expected = count(v['expect-packets'], 'expect-packets');
  if (expected === undefined) return 0;
  if (!v.chain && !v.match) throw new TrafficError('error: --expect-packets needs --chain or --match', 2);
  const got = v.match ? listed.reduce((n, r) => n + r.packets, 0) : entered!;
  const problems = checkRules({ node: v.node, chain: v.chain, match: v.match, expected, got, window });
  if (problems.length) {
    if (!quiet) await out.stderr(problems.map((p) => `${p}\n`).join(''));
    return 1;
  }
  return 0;
}

/**
 * Packets that entered a chain: the jumps to it for a user chain; for a built-in chain (which nothing jumps to) the
 * largest of its counters, since every packet in it passes its rules in order.
 */
export function enteredPackets(rules: RuleCount[], chain: string): number {
  const jumps = rules.filter((r) => r.target === chain && r.chain !== chain && r.index > 0);
  if (jumps.length) return jumps.reduce((n, r) => n + r.packets, 0);
  const own = rules.filter((r) => r.chain === chain);
  return own.some((r) => r.index === 0) ? Math.max(0, ...own.map((r) => r.packets)) : 0;
}
