/** Reading `-f` manifests as kubectl's resource builder does: files, directories (.json/.yaml/.yml), `-`, multi-doc YAML. */
import { parseAllDocuments } from 'yaml';
import { KubectlError } from './api.ts';
import type { KubectlIO } from './context.ts';

export interface Manifest {
  object: Record<string, unknown>;
  /** The name kubectl reports in errors: the path as given, or `STDIN`. */
  source: string;
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function absolute(io: KubectlIO, p: string): string {
  return p.startsWith('/') ? p : join(io.cwd, p);
}

export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const v = JSON.parse(text) as Record<string, unknown>;
    return expandLists(v).map((object) => ({ object, source }));
  }
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new KubectlError(`error parsing ${source}: ${doc.errors[0].message}`);
    const v = doc.toJS() as Record<string, unknown> | null;
    if (v === null || v === undefined) continue;
    for (const object of expandLists(v)) out.push({ object, source });
  }
  return out;
}

function expandLists(v: Record<string, unknown>): Record<string, unknown>[] {
  if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) return v.items as Record<string, unknown>[];
  return [v];
}

async function readPath(io: KubectlIO, path: string, recursive: boolean, top: boolean): Promise<Manifest[]> {
  const abs = absolute(io, path);
  if (io.listDir) {
    let entries;
    try {
      entries = await io.listDir(abs);
    } catch {
      entries = undefined;
    }
    if (entries) {
      const out: Manifest[] = [];
      for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const child = join(path, e.name);
        if (e.dir) {
          if (recursive) out.push(...(await readPath(io, child, recursive, false)));
        } else if (/\.(json|yaml|yml)$/.test(e.name)) out.push(...(await readPath(io, child, recursive, false)));
      }
      return out;
    }
  }
  let text: string;
  try {
    text = await io.readFile(abs);
  } catch {
    if (top) throw new KubectlError(`the path "${path}" does not exist`);
    throw new KubectlError(`the path "${path}" cannot be read`);
  }
  return parseManifests(text, path);
}

export async function readManifests(io: KubectlIO, filenames: string[], recursive = false): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const f of filenames) {
    if (f === '-') out.push(...parseManifests(await io.stdin(), 'STDIN'));
    else out.push(...(await readPath(io, f, recursive, true)));
  }
  return out;
}
