/**
 * Durable state for `--state DIR`: a snapshot plus an append-only journal of committed changes. A change is appended
 * (a synchronous write, so the OS holds it even if the process is killed the next instant) before the API answers;
 * a torn last line, from a kill mid-write, was never acknowledged and is dropped on load. The journal is folded into
 * a fresh snapshot (written to a temp file, fsynced, renamed) at start-up and every COMPACT_EVERY changes.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RESOURCES, type ResourceInfo } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { Change, Store } from './store.ts';

const COMPACT_EVERY = 5000;
/** Events and leases are high-churn and rebuilt at run time, as etcd's TTLs would drop them anyway. */
const VOLATILE = new Set(['Event', 'Lease']);

interface Snapshot {
  resourceVersion: number;
  objects: Array<{ group: string; resource: string; object: KubeObject }>;
}

type JournalLine = { rv: number; group: string; resource: string; type: Change['type']; object: KubeObject };

function find(group: string, resource: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.resource === resource);
}

export class StatePersistence {
  private journalFd: number | undefined;
  private sinceCompact = 0;
  private unhook: (() => void) | undefined;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private get snapshotPath(): string {
    return join(this.dir, 'cluster.json');
  }
  private get journalPath(): string {
    return join(this.dir, 'cluster.journal');
  }

  /** Loads snapshot + journal into an empty store. Returns the number of objects restored. */
  load(store: Store): number {
    const objects = new Map<string, { r: ResourceInfo; o: KubeObject }>();
    let rv = 0;
    const key = (r: ResourceInfo, o: KubeObject) => `${r.group}/${r.resource}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (existsSync(this.snapshotPath)) {
      const snap = JSON.parse(readFileSync(this.snapshotPath, 'utf8')) as Snapshot;
      rv = snap.resourceVersion;
      for (const e of snap.objects) {
        const r = find(e.group, e.resource);
        if (r) objects.set(key(r, e.object), { r, o: e.object });
      }
    }
    if (existsSync(this.journalPath)) {
      for (const line of readFileSync(this.journalPath, 'utf8').split('\n')) {
        if (!line) continue;
        let j: JournalLine;
        try {
          j = JSON.parse(line) as JournalLine;
        } catch {
          break; // torn tail: never acknowledged
        }
        const r = find(j.group, j.resource);
        if (!r || j.rv <= rv) continue;
        rv = Math.max(rv, j.rv);
        if (j.type === 'DELETED') objects.delete(key(r, j.object));
        else objects.set(key(r, j.object), { r, o: j.object });
      }
    }
    for (const { r, o } of objects.values()) store.restore(r, o);
    store.bumpVersion(rv);
    return objects.size;
  }

  /** Compacts what was loaded and starts journaling every commit of `store`. */
  attach(store: Store): void {
    this.compact(store);
    this.unhook = store.onCommit((c) => this.append(c, store));
  }

  private append(c: Change, store: Store): void {
    if (VOLATILE.has(c.resource.kind) || this.journalFd === undefined) return;
    const line: JournalLine = { rv: c.rv, group: c.resource.group, resource: c.resource.resource, type: c.type, object: c.object };
    writeSync(this.journalFd, `${JSON.stringify(line)}\n`);
    if (++this.sinceCompact >= COMPACT_EVERY) this.compact(store);
  }

  compact(store: Store): void {
    const snap: Snapshot = { resourceVersion: Number(store.resourceVersion), objects: [] };
    for (const [r, objs] of store.all()) {
      if (VOLATILE.has(r.kind)) continue;
      for (const o of objs) snap.objects.push({ group: r.group, resource: r.resource, object: o });
    }
    const tmp = `${this.snapshotPath}.tmp`;
    const fd = openSync(tmp, 'w');
    writeSync(fd, JSON.stringify(snap));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.snapshotPath);
    if (this.journalFd !== undefined) closeSync(this.journalFd);
    this.journalFd = openSync(this.journalPath, 'w');
    this.sinceCompact = 0;
  }

  close(): void {
    this.unhook?.();
    if (this.journalFd !== undefined) {
      fsyncSync(this.journalFd);
      closeSync(this.journalFd);
    }
    this.journalFd = undefined;
  }
}
