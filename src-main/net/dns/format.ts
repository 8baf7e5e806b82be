/** Output of nslookup (bind9 on nodes, busybox in pods), host and dig for resolver results. */
import type { CommandResult as CommandOutput } from '../../contract/command-result.ts';
import { isIPv4, reverseName } from '../ipv4.ts';
import type { SearchResult } from './search.ts';
import { messageSize } from './wire.ts';
import { rdataText, type DnsResponse, type QType, type ResourceRecord } from './types.ts';

export type { CommandResult as CommandOutput } from '../../contract/command-result.ts';

const bare = (n: string) => n.replace(/\.$/, '');

/** The query a tool sends for a name argument: an IPv4 address becomes a PTR lookup. */
export function toolQuery(arg: string, type?: QType): { name: string; type: QType } {
  if (isIPv4(arg)) return { name: `${reverseName(arg)}.`, type: 'PTR' };
  return { name: arg, type: type ?? 'A' };
}

function recordLine(style: 'bind' | 'busybox', r: ResourceRecord): string {
  const name = bare(r.name);
  const target = (t: string) => (style === 'bind' ? t : bare(t));
  switch (r.data.type) {
    case 'A':
      return `Name:\t${name}\nAddress: ${r.data.address}`;
    case 'CNAME':
      return `${name}\tcanonical name = ${target(r.data.target)}`;
    case 'PTR':
      return `${name}\tname = ${target(r.data.target)}`;
    case 'SRV':
      return `${name}\tservice = ${r.data.priority} ${r.data.weight} ${r.data.port} ${target(r.data.target)}`;
    default:
      return `${name}\t${rdataText(r.data)}`;
  }
}

/**
 * `nslookup NAME [SERVER]`. bind9 (nodes): `Address:\t10.96.0.10#53`, `Non-authoritative answer:` for forwarded
 * answers. busybox (pods): `Address:\t10.96.0.10:53` and one `** server can't find` block per failed search name.
 */
export function formatNslookup(style: 'bind' | 'busybox', server: string, result: SearchResult): CommandOutput {
  const head = style === 'bind' ? `Server:\t\t${server}\nAddress:\t${server}#53\n\n` : `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  const r = result.response;
  let out = head;
  if (style === 'busybox') {
    for (const t of result.tried) if (t.rcode === 'NXDOMAIN' && t.name !== result.name) out += `** server can't find ${bare(t.name)}: NXDOMAIN\n\n`;
  }
  if (r.rcode === 'NXDOMAIN') {
    return { stdout: `${out}** server can't find ${bare(result.name)}: NXDOMAIN\n\n`, stderr: '', code: 1 };
  }
  if (r.rcode !== 'NOERROR') return { stdout: `${out}** server can't find ${bare(result.name)}: ${r.rcode}\n\n`, stderr: '', code: 1 };
  if (r.answer.length === 0) return { stdout: `${out}*** Can't find ${bare(result.name)}: No answer\n\n`, stderr: '', code: style === 'bind' ? 0 : 1 };
  if (style === 'bind' && !r.authoritative) out += 'Non-authoritative answer:\n';
  out += r.answer.map((a) => recordLine(style, a)).join('\n') + '\n\n';
  return { stdout: out, stderr: '', code: 0 };
}

/** `host NAME [SERVER]` (bind9). */
export function formatHost(result: SearchResult, server?: string): CommandOutput {
  let out = server ? `Using domain server:\nName: ${server}\nAddress: ${server}#53\nAliases: \n\n` : '';
  const r = result.response;
  if (r.rcode !== 'NOERROR') {
    const code = r.rcode === 'NXDOMAIN' ? '3(NXDOMAIN)' : r.rcode === 'SERVFAIL' ? '2(SERVFAIL)' : '5(REFUSED)';
    return { stdout: `${out}Host ${bare(result.name)} not found: ${code}\n`, stderr: '', code: 1 };
  }
  for (const a of r.answer) {
    const name = bare(a.name);
    switch (a.data.type) {
      case 'A':
        out += `${name} has address ${a.data.address}\n`;
        break;
      case 'CNAME':
        out += `${name} is an alias for ${a.data.target}\n`;
        break;
      case 'PTR':
        out += `${a.name.replace(/\.$/, '')} domain name pointer ${a.data.target}\n`;
        break;
      case 'SRV':
        out += `${name} has SRV record ${rdataText(a.data)}\n`;
        break;
      default:
        out += `${name} has ${a.data.type} record ${rdataText(a.data)}\n`;
    }
  }
  return { stdout: out, stderr: '', code: 0 };
}

/** BIND's column layout: fields start at columns 24/32/40/48 (tab stops every 8), or after one space when already past. */
function visualColumn(s: string): number {
  let col = 0;
  for (const ch of s) col = ch === '\t' ? (Math.floor(col / 8) + 1) * 8 : col + 1;
  return col;
}

function padTo(s: string, target: number): string {
  if (visualColumn(s) >= target) return s + ' ';
  while (visualColumn(s) < target) s += '\t';
  return s;
}

export function digRecord(r: ResourceRecord): string {
  let s = padTo(r.name, 24);
  s = padTo(s + String(r.ttl), 32);
  s = padTo(s + r.class, 40);
  s = padTo(s + r.data.type, 48);
  return s + rdataText(r.data);
}

function digQuestion(name: string, type: QType): string {
  let s = padTo(`;${name}`, 32);
  s = padTo(s + 'IN', 40);
  return s + type;
}

export interface DigOptions {
  server: string;
  /** What the user typed after `dig`, echoed in the banner. */
  args: string;
  id?: number;
  when: Date;
  short?: boolean;
  version?: string;
  queryTimeMs?: number;
}

function digWhen(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => `${n}`.padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** `dig [@server] NAME [TYPE] [+short]` against CoreDNS. */
export function formatDig(r: DnsResponse, o: DigOptions): CommandOutput {
  if (o.short) return { stdout: r.answer.map((a) => rdataText(a.data) + '\n').join(''), stderr: '', code: 0 };
  const flags = r.authoritative ? 'qr aa rd' : 'qr rd ra';
  const lines = [
    '',
    `; <<>> DiG ${o.version ?? '9.18.33-1~deb12u2-Debian'} <<>> ${o.args}`,
    ';; global options: +cmd',
    ';; Got answer:',
    `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${o.id ?? 4242}`,
    `;; flags: ${flags}; QUERY: 1, ANSWER: ${r.answer.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: ${r.additional.length + 1}`,
  ];
  if (r.authoritative) lines.push(';; WARNING: recursion requested but not available');
  lines.push('', ';; OPT PSEUDOSECTION:', '; EDNS: version: 0, flags:; udp: 1232', ';; QUESTION SECTION:', digQuestion(r.question.name, r.question.type));
  const section = (title: string, rs: ResourceRecord[]) => {
    if (rs.length) lines.push('', `;; ${title} SECTION:`, ...rs.map(digRecord));
  };
  section('ANSWER', r.answer);
  section('AUTHORITY', r.authority);
  section('ADDITIONAL', r.additional);
  lines.push(
    '',
    `;; Query time: ${o.queryTimeMs ?? 0} msec`,
    `;; SERVER: ${o.server}#53(${o.server}) (UDP)`,
    `;; WHEN: ${digWhen(o.when)}`,
    `;; MSG SIZE  rcvd: ${messageSize(r)}`,
    '',
  );
  return { stdout: lines.join('\n') + '\n', stderr: '', code: 0 };
}
