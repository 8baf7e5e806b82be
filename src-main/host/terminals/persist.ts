/** The learner's files and shell history, kept as JSON in the state dir (debounced, written atomically). */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualFs, type FsSnapshotNode } from '../../userland/fs/virtual-fs.ts';
import { seedLabHome } from './lab-home.ts';

const WRITE_DELAY_MS = 300;
const HISTORY_FILES = { nodes: 'history.json', laptop: 'laptop-history.json' } as const;

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
  renameSync(tmp, path);
}

export class ShellStore {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly pending = new Map<string, () => unknown>();
  private readonly fss = new Map<string, VirtualFs>();
  private readonly histories = new Map<string, string[]>();

  /** Without a directory everything lives in memory only (`--ephemeral`, tests). */
  constructor(private readonly dir: string | undefined, private readonly now: () => number = () => Date.now()) {
    if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /**
   * The node's filesystem (one per node, shared by every terminal on it); root's home is /root. A fresh one on the
   * learner's node (`withLabHome`, the control plane) starts with the lab home's files.
   */
  nodeFs(node: string, withLabHome = false): VirtualFs {
    return this.fs(`node/${node}`, `fs-${node}.json`, '/root', withLabHome);
  }

  /** The laptop's filesystem: another machine, with the learner's home. */
  laptopFs(home: string): VirtualFs {
    return this.fs('laptop', 'laptop-fs.json', home);
  }

  private fs(key: string, name: string, home: string, withLabHome = false): VirtualFs {
    const known = this.fss.get(key);
    if (known) return known;
    const file = this.dir ? join(this.dir, name) : undefined;
    const snapshot = file ? readJson<FsSnapshotNode>(file) : undefined;
    const fs = snapshot ? VirtualFs.fromJSON(snapshot, { now: this.now, home }) : new VirtualFs({ now: this.now, home });
    if (!snapshot && withLabHome) seedLabHome(fs);
    if (file) fs.onChange(() => this.schedule(file, () => fs.toJSON()));
    this.fss.set(key, fs);
    return fs;
  }

  /** The shell history of the nodes (one, as the lab's machines share root's) or of the laptop. */
  getHistory(machine: 'nodes' | 'laptop' = 'nodes'): string[] {
    return [...this.historyOf(machine)];
  }

  setHistory(history: string[], machine: 'nodes' | 'laptop' = 'nodes'): void {
    this.histories.set(machine, [...history]);
    if (this.dir) this.schedule(join(this.dir, HISTORY_FILES[machine]), () => this.histories.get(machine));
  }

  private historyOf(machine: 'nodes' | 'laptop'): string[] {
    let h = this.histories.get(machine);
    if (!h) {
      h = (this.dir && readJson<string[]>(join(this.dir, HISTORY_FILES[machine]))) || [];
      this.histories.set(machine, h);
    }
    return h;
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
