/**
 * What to start from, given the state files as read: the snapshot and the journal that continues it, plus the
 * previous generation (cluster.1.json and cluster.1.journal, kept by the last compaction) to rebuild a damaged
 * snapshot from. Every good record is kept; what could not be read is named, with what it cost, for the one line
 * kubelab prints at start-up. Pure: the files come in parsed, the decision goes out.
 */
import type { JournalFile, SnapshotEntry, SnapshotFile } from './state-files.ts';

export interface StateFiles {
  snapshot: SnapshotFile;
  journal: JournalFile;
  previousSnapshot: SnapshotFile;
  previousJournal: JournalFile;
  /** cluster.json.tmp exists: a snapshot was being written when the process stopped. */
  staleTemp: boolean;
}

export interface Recovery {
  entries: SnapshotEntry[];
  resourceVersion: number;
  /** Something was unreadable or missing: every state file is to be kept aside before a new snapshot is written. */
  damaged: boolean;
  /** What was found, one phrase each. */
  problems: string[];
  /** What that cost, one phrase each; empty when nothing acknowledged was lost. */
  lost: string[];
}

const keyOf = (e: SnapshotEntry) => `${e.group}/${e.resource}/${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`;

function complete(s: SnapshotFile): boolean {
  return s.present && s.header !== undefined && !s.unreadable && s.damaged.length === 0 && s.entries.length === s.header.objects;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function describeSnapshot(s: SnapshotFile, declared: number | undefined): string {
  if (!s.present) return `${s.name} is missing`;
  if (s.unreadable === 'empty') return `${s.name} is empty`;
  if (s.unreadable === 'garbage') return `${s.name} is not a snapshot (nothing in it can be read)`;
  const readable = declared !== undefined ? ` (${s.entries.length} of ${declared} objects readable)` : ` (${s.entries.length} objects readable)`;
  if (!s.header) return `${s.name}'s header is damaged${readable}`;
  const torn = s.damaged.some((d) => d.torn);
  const inner = s.damaged.filter((d) => !d.torn).length;
  if (inner === 0 && (torn || s.entries.length < s.header.objects)) return `${s.name} is cut short${readable}`;
  return `${s.name} has ${plural(inner + (torn ? 1 : 0), 'damaged record')}${readable}`;
}

/** "configmaps default/web", from a damaged line whose JSON still parses. */
function claimedObject(claimed: unknown): string | undefined {
  const c = claimed as { resource?: unknown; object?: { metadata?: { namespace?: unknown; name?: unknown } } } | undefined;
  const name = c?.object?.metadata?.name;
  if (typeof c?.resource !== 'string' || typeof name !== 'string') return undefined;
  const ns = c.object?.metadata?.namespace;
  return `${c.resource} ${typeof ns === 'string' ? `${ns}/` : ''}${name}`;
}

/** The snapshot and journal to read, after an interrupted compaction (see persistence.ts for its steps). */
function generations(f: StateFiles): { snap: SnapshotFile; journal: JournalFile; fallback?: { snap: SnapshotFile; journal: JournalFile } } {
  const prevRv = f.previousSnapshot.header?.resourceVersion;
  if (!f.snapshot.present && f.previousSnapshot.present) {
    // Stopped after cluster.json became cluster.1.json: the pair to read is the previous one, with whichever
    // journal continues it.
    if (f.journal.present && f.journal.header?.base === prevRv) return { snap: f.previousSnapshot, journal: f.journal };
    if (!f.journal.present) return { snap: f.previousSnapshot, journal: f.previousJournal };
  }
  return { snap: f.snapshot, journal: f.journal, fallback: { snap: f.previousSnapshot, journal: f.previousJournal } };
}

export function recover(f: StateFiles): Recovery {
  const { snap, journal, fallback } = generations(f);
  const problems: string[] = [];
  const lost: string[] = [];
  let damaged = false;
  const state = new Map<string, SnapshotEntry>();
  let rv = 0;
  const base = journal.header?.base ?? snap.header?.resourceVersion;
  const declared = snap.header?.objects ?? journal.header?.objects;
  const fresh = !snap.present && !journal.present;

  if (complete(snap) && (base === undefined || snap.header!.resourceVersion === base)) {
    for (const e of snap.entries) state.set(keyOf(e), e);
    rv = snap.header!.resourceVersion;
  } else if (!fresh) {
    damaged = true;
    if (complete(snap)) problems.push(`${journal.name} continues a snapshot at resourceVersion ${base}, but ${snap.name} is at ${snap.header!.resourceVersion}`);
    else problems.push(describeSnapshot(snap, declared));
    const rebuilt = fallback && rebuild(fallback.snap, fallback.journal);
    if (rebuilt && declared !== undefined && rebuilt.state.size === declared && (base === undefined || rebuilt.rv <= base)) {
      for (const [k, e] of rebuilt.state) state.set(k, e);
      // What the damaged snapshot still holds is as new as anything rebuilt.
      for (const e of snap.entries) state.set(keyOf(e), e);
      problems.push(`rebuilt it from ${fallback.snap.name} and ${fallback.journal.name}`);
    } else {
      for (const e of snap.entries) state.set(keyOf(e), e);
      if (declared === undefined) lost.push('the objects of the snapshot that could not be read (how many is not known)');
      else if (declared > snap.entries.length) lost.push(`${plural(declared - snap.entries.length, 'object')} of the snapshot`);
    }
    rv = Math.max(base ?? 0, snap.header?.resourceVersion ?? 0);
  }

  // The journal: every good record, whatever damage lies between them.
  // A journal of checksummed records always starts with its header: a damaged first line is that header.
  const framedHeaderLost = !journal.header && !journal.legacy && journal.damaged.some((d) => d.line === 1);
  let lastGood = rv;
  const records = journal.records;
  let next = 0;
  const inner: string[] = [];
  for (const d of journal.damaged) {
    while (next < records.length && records[next]!.line < d.line) lastGood = Math.max(lastGood, records[next++]!.record.rv);
    if (d.line === 1 && framedHeaderLost) {
      damaged = true;
      problems.push(`${journal.name}'s header is damaged`);
      continue;
    }
    damaged = true;
    if (d.torn) {
      problems.push(`${journal.name}'s last record is cut short (a write interrupted by a crash, never acknowledged)`);
      continue;
    }
    const after = records[next]?.record.rv;
    const hint = claimedObject(d.claimed);
    inner.push(`line ${d.line}${hint ? `, probably ${hint}` : ''}, ${after !== undefined ? `between resourceVersion ${lastGood} and ${after}` : `after resourceVersion ${lastGood}`}`);
  }
  if (inner.length) {
    problems.push(`${journal.name} has ${plural(inner.length, 'damaged record')} (${inner.join('; ')})`);
    lost.push(plural(inner.length, 'change'));
  }
  for (const { record } of records) {
    if (record.rv <= rv) continue;
    rv = record.rv;
    const k = keyOf(record);
    if (record.type === 'DELETED') state.delete(k);
    else state.set(k, { group: record.group, resource: record.resource, object: record.object });
  }

  if (f.staleTemp) problems.push('cluster.json.tmp was left by a snapshot that was being written when kubelab stopped');
  return { entries: [...state.values()], resourceVersion: rv, damaged, problems, lost };
}

/** A snapshot and its journal, when both are whole: the state they held when the next snapshot was taken. */
function rebuild(snap: SnapshotFile, journal: JournalFile): { state: Map<string, SnapshotEntry>; rv: number } | undefined {
  if (!complete(snap) || !journal.present || journal.damaged.length > 0) return undefined;
  if (journal.header && journal.header.base !== snap.header!.resourceVersion) return undefined;
  const state = new Map<string, SnapshotEntry>();
  for (const e of snap.entries) state.set(keyOf(e), e);
  let rv = snap.header!.resourceVersion;
  for (const { record } of journal.records) {
    if (record.rv <= rv) continue;
    rv = record.rv;
    if (record.type === 'DELETED') state.delete(keyOf(record));
    else state.set(keyOf(record), { group: record.group, resource: record.resource, object: record.object });
  }
  return { state, rv };
}
