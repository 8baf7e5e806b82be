/**
 * Durable state for `--state DIR`: a snapshot (cluster.json) plus a journal of the changes committed since
 * (cluster.journal), both checksummed line by line (state-files.ts). A change is appended before the API answers,
 * and the answer waits for the fdatasync that covers it (journal-writer.ts, group commit).
 *
 * Compaction folds the journal into a fresh snapshot at start-up and every COMPACT_EVERY changes, keeping the
 * previous generation as cluster.1.json + cluster.1.journal so a damaged snapshot can be rebuilt. Its steps, each a
 * state the loader reads correctly if the process stops right after it:
 *   1. write cluster.json.tmp, fsync   2. cluster.json -> cluster.1.json   3. cluster.journal -> cluster.1.journal
 *   4. cluster.json.tmp -> cluster.json   5. a new cluster.journal (its header names the snapshot), fsync, fsync dir
 *
 * Loading never compacts over damage: when anything is unreadable, every state file is moved to damaged-<time>/
 * first, the good records are loaded, and one line says what was lost and where the damaged copy is.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RESOURCES, type ResourceInfo } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { Change, Store } from './store.ts';
import { JournalWriter } from './journal-writer.ts';
import { recover, type Recovery } from './recovery.ts';
import { journalHeaderLine, journalLine, parseJournal, parseSnapshot, snapshotText, type SnapshotEntry } from './state-files.ts';

const COMPACT_EVERY = 5000;
/** Events and leases are high-churn and rebuilt at run time, as etcd's TTLs would drop them anyway. */
const VOLATILE = new Set(['Event', 'Lease']);

export const SNAPSHOT = 'cluster.json';
export const JOURNAL = 'cluster.journal';
export const PREVIOUS_SNAPSHOT = 'cluster.1.json';
export const PREVIOUS_JOURNAL = 'cluster.1.journal';
export const SNAPSHOT_TEMP = 'cluster.json.tmp';
const STATE_FILES = [SNAPSHOT, JOURNAL, PREVIOUS_SNAPSHOT, PREVIOUS_JOURNAL, SNAPSHOT_TEMP];

export interface PersistenceOptions {
  /** fdatasync before a write is acknowledged (default true); false only to measure what it costs. */
  sync?: boolean;
  /** The time in a damaged-<time> directory's name. */
  now?: () => Date;
  /** Where the one line about a failed disk write goes. */
  warn?: (line: string) => void;
}

export interface LoadResult {
  objects: number;
  /** The one line to print when the state was damaged or a leftover file was set aside. */
  report?: string;
  /** Where the damaged files were moved. */
  damagedDir?: string;
}

function find(group: string, resource: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.resource === resource);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Makes renames and new files in `dir` durable (not possible on Windows, where it is not needed the same way). */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* EISDIR / EPERM on Windows */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

export class StatePersistence {
  private writer: JournalWriter | undefined;
  private sinceCompact = 0;
  private unhook: (() => void) | undefined;

  constructor(
    readonly dir: string,
    private readonly opts: PersistenceOptions = {},
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  private path(name: string): string {
    return join(this.dir, name);
  }

  /** Loads snapshot + journal into an empty store, setting damaged files aside first. */
  load(store: Store): LoadResult {
    const recovery = recover({
      snapshot: parseSnapshot(SNAPSHOT, readIfExists(this.path(SNAPSHOT))),
      journal: parseJournal(JOURNAL, readIfExists(this.path(JOURNAL))),
      previousSnapshot: parseSnapshot(PREVIOUS_SNAPSHOT, readIfExists(this.path(PREVIOUS_SNAPSHOT))),
      previousJournal: parseJournal(PREVIOUS_JOURNAL, readIfExists(this.path(PREVIOUS_JOURNAL))),
      staleTemp: existsSync(this.path(SNAPSHOT_TEMP)),
    });
    let restored = 0;
    for (const e of recovery.entries) {
      const r = find(e.group, e.resource);
      if (!r) continue;
      store.restore(r, e.object);
      restored++;
    }
    store.bumpVersion(recovery.resourceVersion);
    if (recovery.problems.length === 0) return { objects: restored };
    const damagedDir = this.setAside(recovery.damaged ? STATE_FILES : [SNAPSHOT_TEMP]);
    return { objects: restored, report: this.reportLine(recovery, restored, damagedDir), damagedDir };
  }

  private setAside(names: string[]): string {
    const stamp = (this.opts.now?.() ?? new Date()).toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
    let dir = this.path(`damaged-${stamp}`);
    for (let n = 2; existsSync(dir); n++) dir = this.path(`damaged-${stamp}-${n}`);
    mkdirSync(dir, { mode: 0o700 });
    for (const name of names) renameIfExists(this.path(name), join(dir, name));
    fsyncDir(dir);
    fsyncDir(this.dir);
    return dir;
  }

  private reportLine(r: Recovery, objects: number, aside: string): string {
    const what = r.damaged ? 'the damaged files are kept in' : 'the leftover file is kept in';
    return `kubelab: the saved cluster state in ${this.dir} was damaged: ${r.problems.join('; ')}. Lost: ${r.lost.length ? r.lost.join(', ') : 'nothing that was acknowledged'}. Started with ${objects} objects; ${what} ${aside}`;
  }

  /** Compacts what was loaded and starts journaling every commit of `store`. */
  attach(store: Store): void {
    this.compact(store);
    this.unhook = store.onCommit((c) => this.append(c, store));
  }

  /** Resolves once every change committed so far is on disk. */
  durable(): Promise<void> {
    return this.writer?.durable() ?? Promise.resolve();
  }

  /** fdatasyncs issued so far. */
  get syncs(): number {
    return this.writer?.syncs ?? 0;
  }

  private append(c: Change, store: Store): void {
    if (VOLATILE.has(c.resource.kind) || !this.writer) return;
    this.writer.append(journalLine({ rv: c.rv, group: c.resource.group, resource: c.resource.resource, type: c.type, object: c.object }));
    if (++this.sinceCompact >= COMPACT_EVERY) this.compact(store);
  }

  compact(store: Store): void {
    const entries: SnapshotEntry[] = [];
    for (const [r, objs] of store.all()) {
      if (VOLATILE.has(r.kind)) continue;
      for (const o of objs) entries.push({ group: r.group, resource: r.resource, object: o as KubeObject });
    }
    const rv = Number(store.resourceVersion);
    const tmp = this.path(SNAPSHOT_TEMP);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, snapshotText(rv, entries));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The journal about to become the previous generation must be whole to rebuild from.
    this.writer?.syncNow();
    renameIfExists(this.path(SNAPSHOT), this.path(PREVIOUS_SNAPSHOT));
    renameIfExists(this.path(JOURNAL), this.path(PREVIOUS_JOURNAL));
    renameSync(tmp, this.path(SNAPSHOT));
    const journal = openSync(this.path(JOURNAL), 'w', 0o600);
    writeSync(journal, journalHeaderLine(rv, entries.length));
    fsyncSync(journal);
    fsyncDir(this.dir);
    if (this.writer) this.writer.replace(journal);
    else this.writer = new JournalWriter(journal, this.opts.sync ?? true, (e) => this.diskFailed(e));
    this.sinceCompact = 0;
  }

  private diskFailed(e: Error): void {
    const line = `kubelab: could not write the cluster state to disk in ${this.dir} (${(e as NodeJS.ErrnoException).code ?? e.message}): further changes are not acknowledged; stop kubelab and check the disk`;
    (this.opts.warn ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }

  close(): void {
    this.unhook?.();
    this.writer?.close();
    this.writer = undefined;
  }
}
