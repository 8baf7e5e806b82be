/** What `conntrack -L` and `-C` print of a node's table (conntrack-tools' text format). */
import type { CommandResult } from '../../contract/command-result.ts';
import { PROTO_NUM, type ConntrackEntry, type ConntrackTable, type Tuple } from './conntrack.ts';
import type { Proto } from './model.ts';

export function formatEntry(e: ConntrackEntry, remaining: number): string {
  const t = (x: Tuple) => `src=${x.src} dst=${x.dst} sport=${x.sport} dport=${x.dport} `;
  let s = `${e.proto.padEnd(8)} ${PROTO_NUM[e.proto]} ${remaining} `;
  if (e.tcpState) s += `${e.tcpState} `;
  s += t(e.original);
  if (!e.seenReply) s += '[UNREPLIED] ';
  s += t(e.reply);
  if (e.assured) s += '[ASSURED] ';
  return s + `mark=${e.mark} use=${e.use}`;
}

export interface ConntrackFilter {
  proto?: Proto;
  /** -s / --orig-src */
  src?: string;
  /** -d / --orig-dst */
  dst?: string;
  /** -r / --reply-src */
  replySrc?: string;
  /** --dport / --orig-port-dst */
  dport?: number;
}

/** `conntrack -L [filters]`: entries on stdout, the summary line on stderr. */
export function conntrackList(table: ConntrackTable, filter: ConntrackFilter = {}, version = '1.4.8'): CommandResult {
  const rows = table.list().filter(
    (e) =>
      (!filter.proto || e.proto === filter.proto) &&
      (!filter.src || e.original.src === filter.src) &&
      (!filter.dst || e.original.dst === filter.dst) &&
      (!filter.replySrc || e.reply.src === filter.replySrc) &&
      (filter.dport === undefined || e.original.dport === filter.dport),
  );
  const stdout = rows.map((e) => formatEntry(e, table.remaining(e)) + '\n').join('');
  return { stdout, stderr: `conntrack v${version} (conntrack-tools): ${rows.length} flow entries have been shown.\n`, code: 0 };
}
