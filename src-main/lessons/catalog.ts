/**
 * Where lessons come from: the built-in set shipped with the app (assets/lessons, ordered by its Killercoda
 * `structure.json`), lesson packs imported into the state directory, and any folder named by path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLessonDir } from './load.ts';

export type LessonSource = 'builtin' | 'imported' | 'path';

export interface CatalogEntry {
  id: string;
  dir: string;
  source: LessonSource;
}

/** The repository's assets/lessons, from the sources (src-main/lessons) or the bundle (dist/). */
export function builtinLessonsDir(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? '../../assets/lessons/' : '../assets/lessons/', here));
}

/** Killercoda's structure.json: `{"items": [{"path": "a"}, ...]}` gives the order; other folders follow by name. */
function orderedLessonDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  const dirs = readdirSync(root).filter((d) => !d.startsWith('.') && statSync(join(root, d)).isDirectory() && isLessonDir(join(root, d))).sort();
  let order: string[] = [];
  try {
    const s = JSON.parse(readFileSync(join(root, 'structure.json'), 'utf8')) as { items?: Array<{ path?: string }> };
    order = (s.items ?? []).map((i) => i.path ?? '').filter((p) => dirs.includes(p));
  } catch {
    /* no structure.json: by name */
  }
  return [...order, ...dirs.filter((d) => !order.includes(d))];
}

export class LessonCatalog {
  constructor(
    readonly builtinDir: string,
    readonly importedDir: string,
  ) {}

  entries(): CatalogEntry[] {
    const builtin = orderedLessonDirs(this.builtinDir).map((d) => ({ id: d, dir: join(this.builtinDir, d), source: 'builtin' as const }));
    const taken = new Set(builtin.map((b) => b.id));
    const imported = orderedLessonDirs(this.importedDir)
      .filter((d) => !taken.has(d))
      .map((d) => ({ id: d, dir: join(this.importedDir, d), source: 'imported' as const }));
    return [...builtin, ...imported];
  }

  /**
   * An id (`clusterip`), a number in the list (`1`), or a folder (absolute, or relative to `cwd`). Folders are
   * identified by their absolute path.
   */
  resolve(ref: string, cwd = process.cwd()): CatalogEntry | undefined {
    const all = this.entries();
    const byId = all.find((e) => e.id === ref);
    if (byId) return byId;
    if (/^\d+$/.test(ref)) return all[Number(ref) - 1];
    if (ref.includes('/') || ref.startsWith('.')) {
      const dir = isAbsolute(ref) ? resolve(ref) : resolve(cwd, ref);
      if (isLessonDir(dir)) return all.find((e) => resolve(e.dir) === dir) ?? { id: dir, dir, source: 'path' };
    }
    return undefined;
  }
}
