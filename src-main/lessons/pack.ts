/**
 * `kubelab lesson import PACK`: a lesson pack is a lesson folder, a folder of lesson folders, or a .zip of either
 * (as an instructor hands them out). Every lesson in it is checked before any is installed, into the state
 * directory's lessons/imported/<id>; importing a pack again replaces its lessons.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { isLessonDir, loadLesson } from './load.ts';
import { LessonFormatError } from './format.ts';

const MAX_PACK_BYTES = 64 * 1024 * 1024;
const ID = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;

/** Lesson folders under `root` (the root itself when it is one), down to three levels. */
export function findLessonDirs(root: string, depth = 3): string[] {
  if (isLessonDir(root)) return [root];
  if (depth === 0) return [];
  return readdirSync(root)
    .filter((d) => !d.startsWith('.') && !d.startsWith('__MACOSX'))
    .map((d) => join(root, d))
    .filter((d) => statSync(d).isDirectory())
    .sort()
    .flatMap((d) => findLessonDirs(d, depth - 1));
}

/** Extracts a zip into `dir`, refusing entries that would land outside it. */
export function extractZip(zipPath: string, dir: string): void {
  const data = readFileSync(zipPath);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(data, { filter: (f) => f.originalSize <= MAX_PACK_BYTES });
  } catch (e) {
    throw new LessonFormatError(`${basename(zipPath)}: not a zip file we can read (${(e as Error).message})`);
  }
  let total = 0;
  for (const [name, content] of Object.entries(files)) {
    total += content.length;
    if (total > MAX_PACK_BYTES) throw new LessonFormatError(`${basename(zipPath)}: larger than 64 MiB unpacked`);
    if (name.endsWith('/')) continue;
    const target = resolve(dir, name);
    if (name.includes('\\') || !target.startsWith(dir + sep)) throw new LessonFormatError(`${basename(zipPath)}: entry "${name}" would be written outside the pack`);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    writeFileSync(target, content, { mode: 0o600 });
  }
}

export interface ImportResult {
  ids: string[];
}

export function importPack(packPath: string, importedDir: string, reserved: Set<string>): ImportResult {
  const path = resolve(packPath);
  if (!existsSync(path)) throw new LessonFormatError(`${packPath}: no such file or directory`);
  mkdirSync(importedDir, { recursive: true });
  const staging = join(importedDir, `.import-${process.pid}-${Date.now()}`);
  mkdirSync(staging);
  try {
    let root = path;
    if (statSync(path).isFile()) {
      if (!/\.zip$/i.test(path)) throw new LessonFormatError(`${packPath}: a lesson pack is a folder or a .zip file`);
      extractZip(path, join(staging, 'zip'));
      root = join(staging, 'zip');
    }
    const dirs = findLessonDirs(root);
    if (dirs.length === 0) throw new LessonFormatError(`${packPath}: no lesson in it (a lesson is a folder with an index.json)`);
    const ids = dirs.map((d) => (d === root && root !== path ? basename(packPath).replace(/\.zip$/i, '') : basename(d)));
    const seen = new Set<string>();
    for (const [i, id] of ids.entries()) {
      if (!ID.test(id)) throw new LessonFormatError(`${dirs[i]}: a lesson folder's name is its id: letters, digits, '-', '_' and '.' only`);
      if (reserved.has(id)) throw new LessonFormatError(`lesson "${id}" is built in: rename that folder in the pack`);
      if (seen.has(id)) throw new LessonFormatError(`the pack has two lessons named "${id}"`);
      seen.add(id);
      try {
        loadLesson(dirs[i]!, id);
      } catch (e) {
        throw new LessonFormatError(`lesson "${id}": ${(e as Error).message}`);
      }
    }
    for (const [i, id] of ids.entries()) {
      const fresh = join(staging, `lesson-${i}`);
      cpSync(dirs[i]!, fresh, { recursive: true });
      const target = join(importedDir, id);
      rmSync(target, { recursive: true, force: true });
      renameSync(fresh, target);
    }
    return { ids };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
