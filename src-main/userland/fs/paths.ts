/** POSIX path helpers for the virtual filesystem. */
export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** Resolves `path` against `cwd`, expanding a leading `~` to `home`. */
export function resolvePath(cwd: string, path: string, home = '/root'): string {
  if (path === '~' || path.startsWith('~/')) path = home + path.slice(1);
  return normalize(path.startsWith('/') ? path : `${cwd}/${path}`);
}

export function dirname(path: string): string {
  const n = normalize(path);
  const i = n.lastIndexOf('/');
  return i <= 0 ? '/' : n.slice(0, i);
}

export function basename(path: string): string {
  const n = path.replace(/\/+$/, '');
  return n.slice(n.lastIndexOf('/') + 1) || '/';
}

/** `/root/k8s_lab` shown as `~/k8s_lab` (prompt, dirs). */
export function tildify(path: string, home = '/root'): string {
  if (path === home) return '~';
  return path.startsWith(home + '/') ? '~' + path.slice(home.length) : path;
}
