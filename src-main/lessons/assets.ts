/** Killercoda's `details.assets`: each file written to its host by a script in that host's shell. */
import type { Asset } from './load.ts';

/** A single-quoted shell word. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `target` is a directory (Killercoda's meaning); `~` is root's home. */
export function assetScript(a: Asset): string {
  const dir = a.target.replace(/^~(?=\/|$)/, '/root').replace(/\/+$/, '') || '/';
  const name = a.file.split('/').pop()!;
  const sub = a.file.includes('/') ? `/${a.file.slice(0, a.file.lastIndexOf('/'))}` : '';
  const path = `${dir}${sub}/${name}`.replace(/^\/\//, '/');
  let delim = 'KUBELAB_ASSET_EOF';
  while (a.content.includes(delim)) delim += '_';
  const body = a.content.endsWith('\n') || a.content === '' ? a.content : `${a.content}\n`;
  const lines = [`mkdir -p ${shellQuote(`${dir}${sub}`)}`, `cat > ${shellQuote(path)} <<'${delim}'`, `${body}${delim}`];
  if (a.chmod) lines.push(`chmod ${shellQuote(a.chmod)} ${shellQuote(path)}`);
  return `${lines.join('\n')}\n`;
}
