/**
 * A container's filesystem as an exec session sees it: the files the container has on its node (the kubelet's
 * /etc/hosts, /etc/resolv.conf, /etc/hostname and what its program wrote, e.g. nginx's html) over the image's
 * directory skeleton. What the session writes or removes goes back to the node, so the container's program (nginx
 * serving index.html, an exec probe's `cat /tmp/healthy`) sees it; `flush()` waits until it got there.
 */
import { VirtualFs, type FsSnapshotNode } from '../../userland/fs/virtual-fs.ts';

const BUSYBOX_DIRS = ['bin', 'dev', 'etc', 'home', 'lib', 'lib64', 'proc', 'root', 'sys', 'tmp', 'usr/bin', 'usr/sbin', 'var/spool/mail', 'var/www'];
const DEBIAN_DIRS = ['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib64', 'media', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr/bin', 'usr/lib', 'usr/local/bin', 'usr/sbin', 'usr/share', 'var/lib', 'var/log', 'var/tmp'];

export interface ContainerFs {
  fs: VirtualFs;
  /** Resolves once every change made so far reached the node. */
  flush(): Promise<void>;
}

function flatten(node: FsSnapshotNode, path: string, out: Map<string, string>): Map<string, string> {
  if (node.type === 'file') out.set(path, node.content);
  else for (const [name, child] of Object.entries(node.children)) flatten(child, `${path === '/' ? '' : path}/${name}`, out);
  return out;
}

/**
 * `files`: the container's files by absolute path; `debian` picks the skeleton; `write` sends changed and removed
 * paths to the node.
 */
export function containerFs(
  files: Record<string, string>,
  o: { debian: boolean; workdir: string; now: () => number; write: (set: Record<string, string>, removed: string[]) => Promise<unknown> },
): ContainerFs {
  const fs = new VirtualFs({ now: o.now, home: '/root' });
  for (const d of [...(o.debian ? DEBIAN_DIRS : BUSYBOX_DIRS), o.workdir.slice(1)]) if (d) fs.mkdir(`/${d}`, { recursive: true, silent: true });
  for (const [path, content] of Object.entries(files)) {
    fs.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', { recursive: true, silent: true });
    fs.writeFile(path, content);
  }
  let known = flatten(fs.toJSON(), '/', new Map());
  let sent: Promise<unknown> = Promise.resolve();
  fs.onChange(() => {
    const now = flatten(fs.toJSON(), '/', new Map());
    const set: Record<string, string> = {};
    for (const [path, content] of now) if (known.get(path) !== content) set[path] = content;
    const removed = [...known.keys()].filter((p) => !now.has(p));
    known = now;
    if (!removed.length && !Object.keys(set).length) return;
    sent = sent.then(() => o.write(set, removed)).catch(() => undefined);
  });
  return { fs, flush: () => sent.then(() => undefined) };
}
