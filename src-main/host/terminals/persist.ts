/** The learner's files and shell history, kept as JSON in the state dir (debounced, written atomically). */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualFs, type FsSnapshotNode } from '../../shell/fs/virtual-fs.ts';

const WRITE_DELAY_MS = 300;

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, path);
}

export class ShellStore {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly pending = new Map<string, () => unknown>();
  private readonly fss = new Map<string, VirtualFs>();
  private history: string[];

  /** Without a directory everything lives in memory only (`--ephemeral`, tests). */
  constructor(private readonly dir: string | undefined, private readonly now: () => number = () => Date.now()) {
    if (dir) mkdirSync(dir, { recursive: true });
    this.history = (dir && readJson<string[]>(join(dir, 'history.json'))) || [];
  }

  /** The node's filesystem (one per node, shared by every terminal on it); root's home is /root. */
  nodeFs(node: string): VirtualFs {
    let fs = this.fss.get(node);
    if (fs) return fs;
    const file = this.dir ? join(this.dir, `fs-${node}.json`) : undefined;
    const snapshot = file ? readJson<FsSnapshotNode>(file) : undefined;
    fs = snapshot ? VirtualFs.fromJSON(snapshot, { now: this.now }) : new VirtualFs({ now: this.now });
    const created = fs;
    if (file) created.onChange(() => this.schedule(file, () => created.toJSON()));
    this.fss.set(node, created);
    return created;
  }

  getHistory(): string[] {
    return [...this.history];
  }

  setHistory(history: string[]): void {
    this.history = [...history];
    if (this.dir) this.schedule(join(this.dir, 'history.json'), () => this.history);
  }

  private schedule(path: string, value: () => unknown): void {
    this.pending.set(path, value);
    if (this.timers.has(path)) return;
    const t = setTimeout(() => this.flushOne(path), WRITE_DELAY_MS);
    t.unref?.();
    this.timers.set(path, t);
  }

  private flushOne(path: string): void {
    const t = this.timers.get(path);
    if (t) clearTimeout(t);
    this.timers.delete(path);
    const value = this.pending.get(path);
    this.pending.delete(path);
    if (value) writeJson(path, value());
  }

  flush(): void {
    for (const path of [...this.pending.keys()]) this.flushOne(path);
  }
}
