/**
 * In-memory POSIX-like filesystem for one node's shell. Regular content is serialisable (toJSON/fromJSON) and
 * every change fires onChange so the host can persist; mounted paths (/etc/hosts, /proc/...) are produced by
 * host-provided hooks and are never serialised.
 */
import { basename, dirname, normalize, resolvePath } from './paths.ts';

export type FsErrorCode = 'ENOENT' | 'EEXIST' | 'EISDIR' | 'ENOTDIR' | 'ENOTEMPTY' | 'EACCES' | 'EINVAL';

const MESSAGES: Record<FsErrorCode, string> = {
  ENOENT: 'No such file or directory', EEXIST: 'File exists', EISDIR: 'Is a directory', ENOTDIR: 'Not a directory',
  ENOTEMPTY: 'Directory not empty', EACCES: 'Permission denied', EINVAL: 'Invalid argument',
};

export class FsError extends Error {
  constructor(readonly code: FsErrorCode, readonly path: string) {
    super(MESSAGES[code]);
  }
}

export interface FsStat {
  type: 'file' | 'dir';
  size: number;
  mtime: number;
  mode: number;
}

interface FileNode { type: 'file'; content: string; mtime: number; mode: number }
interface DirNode { type: 'dir'; children: Map<string, FsNode>; mtime: number; mode: number }
type FsNode = FileNode | DirNode;

export type FsSnapshotNode =
  | { type: 'file'; content: string; mtime: number; mode: number }
  | { type: 'dir'; mtime: number; mode: number; children: Record<string, FsSnapshotNode> };

/** A file whose content the host computes on each read (and optionally accepts writes). */
export interface FileMount { read(): string; write?(content: string): void }
/** A directory whose entries the host lists (e.g. /proc). */
export interface DirMount { list(): string[]; read(name: string): string | undefined }

export interface VirtualFsOptions {
  now?: () => number;
  home?: string;
}

export class VirtualFs {
  readonly home: string;
  private root: DirNode;
  private readonly now: () => number;
  private readonly fileMounts = new Map<string, FileMount>();
  private readonly dirMounts = new Map<string, DirMount>();
  private readonly listeners = new Set<() => void>();

  constructor(opts: VirtualFsOptions = {}, snapshot?: FsSnapshotNode) {
    this.now = opts.now ?? (() => Date.now());
    this.home = opts.home ?? '/root';
    this.root = snapshot && snapshot.type === 'dir' ? (fromSnapshot(snapshot) as DirNode) : this.newDir();
    for (const d of [this.home, '/etc', '/tmp', '/proc', '/dev', '/usr/bin', '/var/log']) this.mkdir(d, { recursive: true, silent: true });
  }

  static fromJSON(snapshot: FsSnapshotNode, opts: VirtualFsOptions = {}): VirtualFs {
    return new VirtualFs(opts, snapshot);
  }

  toJSON(): FsSnapshotNode {
    return toSnapshot(this.root);
  }

  /** Called after every change to persisted content. Returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  mountFile(path: string, mount: FileMount): void {
    const p = normalize(path);
    this.mkdir(dirname(p), { recursive: true, silent: true });
    this.fileMounts.set(p, mount);
  }

  mountDir(path: string, mount: DirMount): void {
    const p = normalize(path);
    this.mkdir(p, { recursive: true, silent: true });
    this.dirMounts.set(p, mount);
  }

  resolve(cwd: string, path: string): string {
    return resolvePath(cwd, path, this.home);
  }

  stat(path: string): FsStat | null {
    const p = normalize(path);
    const mounted = this.mountedContent(p);
    if (mounted !== undefined) return { type: 'file', size: byteLength(mounted), mtime: this.now(), mode: 0o644 };
    const node = this.lookup(p);
    if (!node) return null;
    return { type: node.type, size: node.type === 'file' ? byteLength(node.content) : 4096, mtime: node.mtime, mode: node.mode };
  }

  exists(path: string): boolean {
    return this.stat(path) !== null;
  }

  isDir(path: string): boolean {
    return this.stat(path)?.type === 'dir';
  }

  isFile(path: string): boolean {
    return this.stat(path)?.type === 'file';
  }

  readFile(path: string): string {
    const p = normalize(path);
    const mounted = this.mountedContent(p);
    if (mounted !== undefined) return mounted;
    const node = this.lookup(p);
    if (!node) throw new FsError(this.parentIsFile(p) ? 'ENOTDIR' : 'ENOENT', p);
    if (node.type === 'dir') throw new FsError('EISDIR', p);
    return node.content;
  }

  writeFile(path: string, content: string): void {
    this.put(path, content, false);
  }

  appendFile(path: string, content: string): void {
    this.put(path, content, true);
  }

  readdir(path: string): string[] {
    const p = normalize(path);
    const node = this.lookup(p);
    if (!node) throw new FsError('ENOENT', p);
    if (node.type !== 'dir') throw new FsError('ENOTDIR', p);
    const names = new Set(node.children.keys());
    for (const m of this.fileMounts.keys()) if (dirname(m) === p && m !== '/') names.add(basename(m));
    for (const m of this.dirMounts.keys()) if (dirname(m) === p && m !== '/') names.add(basename(m));
    const dm = this.dirMounts.get(p);
    if (dm) for (const n of dm.list()) names.add(n);
    return [...names].sort();
  }

  mkdir(path: string, opts: { recursive?: boolean; silent?: boolean } = {}): void {
    const p = normalize(path);
    const parts = p.split('/').filter(Boolean);
    let dir = this.root;
    for (let i = 0; i < parts.length; i++) {
      const child = dir.children.get(parts[i]!);
      const last = i === parts.length - 1;
      if (child?.type === 'file') throw new FsError(last ? 'EEXIST' : 'ENOTDIR', p);
      if (child) {
        if (last && !opts.recursive) throw new FsError('EEXIST', p);
        dir = child;
        continue;
      }
      if (!last && !opts.recursive) throw new FsError('ENOENT', p);
      const made = this.newDir();
      dir.children.set(parts[i]!, made);
      dir.mtime = this.now();
      dir = made;
    }
    if (!opts.silent) this.changed();
  }

  rm(path: string, opts: { recursive?: boolean } = {}): void {
    const p = normalize(path);
    const node = this.lookup(p);
    if (!node || p === '/') throw new FsError('ENOENT', p);
    if (node.type === 'dir' && !opts.recursive) throw new FsError('EISDIR', p);
    const parent = this.lookup(dirname(p)) as DirNode;
    parent.children.delete(basename(p));
    parent.mtime = this.now();
    this.changed();
  }

  rmdir(path: string): void {
    const node = this.lookup(normalize(path));
    if (node?.type === 'dir' && node.children.size > 0) throw new FsError('ENOTEMPTY', normalize(path));
    this.rm(path, { recursive: true });
  }

  rename(from: string, to: string): void {
    const src = normalize(from);
    const node = this.lookup(src);
    if (!node) throw new FsError('ENOENT', src);
    const dest = normalize(to);
    const parent = this.lookup(dirname(dest));
    if (!parent || parent.type !== 'dir') throw new FsError('ENOENT', dest);
    if (dest === src || dest.startsWith(src + '/')) throw new FsError('EINVAL', dest);
    (this.lookup(dirname(src)) as DirNode).children.delete(basename(src));
    parent.children.set(basename(dest), node);
    parent.mtime = this.now();
    this.changed();
  }

  copy(from: string, to: string): void {
    const src = normalize(from);
    const content = this.readFile(src);
    this.writeFile(to, content);
  }

  copyTree(from: string, to: string): void {
    const node = this.lookup(normalize(from));
    if (!node) throw new FsError('ENOENT', normalize(from));
    const dest = normalize(to);
    const parent = this.lookup(dirname(dest));
    if (!parent || parent.type !== 'dir') throw new FsError('ENOENT', dest);
    parent.children.set(basename(dest), fromSnapshot(toSnapshot(node)));
    this.changed();
  }

  touch(path: string): void {
    const p = normalize(path);
    const node = this.lookup(p);
    if (node) {
      node.mtime = this.now();
      this.changed();
    } else this.writeFile(p, '');
  }

  private put(path: string, content: string, append: boolean): void {
    const p = normalize(path);
    const mount = this.fileMounts.get(p);
    if (mount) {
      if (!mount.write) throw new FsError('EACCES', p);
      mount.write(append ? mount.read() + content : content);
      return;
    }
    const parent = this.lookup(dirname(p));
    if (!parent) throw new FsError('ENOENT', p);
    if (parent.type !== 'dir') throw new FsError('ENOTDIR', p);
    const existing = parent.children.get(basename(p));
    if (existing?.type === 'dir') throw new FsError('EISDIR', p);
    const now = this.now();
    if (existing) {
      existing.content = append ? existing.content + content : content;
      existing.mtime = now;
    } else parent.children.set(basename(p), { type: 'file', content, mtime: now, mode: 0o644 });
    parent.mtime = now;
    this.changed();
  }

  private mountedContent(p: string): string | undefined {
    const fm = this.fileMounts.get(p);
    if (fm) return fm.read();
    const dm = this.dirMounts.get(dirname(p));
    return dm ? dm.read(basename(p)) : undefined;
  }

  private lookup(p: string): FsNode | undefined {
    let node: FsNode = this.root;
    for (const part of p.split('/').filter(Boolean)) {
      if (node.type !== 'dir') return undefined;
      const next: FsNode | undefined = node.children.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  private parentIsFile(p: string): boolean {
    for (let d = dirname(p); d !== '/'; d = dirname(d)) if (this.lookup(d)?.type === 'file') return true;
    return false;
  }

  private newDir(): DirNode {
    return { type: 'dir', children: new Map(), mtime: this.now(), mode: 0o755 };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function toSnapshot(node: FsNode): FsSnapshotNode {
  if (node.type === 'file') return { type: 'file', content: node.content, mtime: node.mtime, mode: node.mode };
  const children: Record<string, FsSnapshotNode> = {};
  for (const [name, child] of node.children) children[name] = toSnapshot(child);
  return { type: 'dir', mtime: node.mtime, mode: node.mode, children };
}

function fromSnapshot(s: FsSnapshotNode): FsNode {
  if (s.type === 'file') return { type: 'file', content: s.content, mtime: s.mtime, mode: s.mode };
  const children = new Map<string, FsNode>();
  for (const [name, child] of Object.entries(s.children)) children.set(name, fromSnapshot(child));
  return { type: 'dir', children, mtime: s.mtime, mode: s.mode };
}
