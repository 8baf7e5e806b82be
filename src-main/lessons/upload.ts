/**
 * "Open lesson pack…" in a page that cannot name a path (a browser against `kubelab serve`): the files the picker read
 * are written to a temporary folder, as they were on the instructor's stick, and imported from there as
 * `kubelab lesson import` would. A path that climbs out of that folder is refused.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { PackFile } from '../contract/lessons.ts';
import { LessonFormatError } from './format.ts';

/** Writes the files; returns what to import: the one .zip, or the folder they share (a folder pick's top folder). */
export function writePackFiles(files: PackFile[], dir: string): string {
  if (!Array.isArray(files) || files.length === 0) throw new LessonFormatError('no files: pick a .zip or a lesson folder');
  const tops = new Set<string>();
  for (const f of files) {
    const path = typeof f?.path === 'string' ? f.path.replace(/^\/+/, '') : '';
    const target = resolve(dir, path);
    if (!path || path.includes('\\') || !target.startsWith(dir + sep)) throw new LessonFormatError(`"${String(f?.path)}": not a file inside the pack`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, Buffer.from(String(f.base64), 'base64'));
    tops.add(path.split('/')[0]!);
  }
  if (files.length === 1 && /\.zip$/i.test(files[0]!.path)) return resolve(dir, files[0]!.path.replace(/^\/+/, ''));
  return tops.size === 1 && files.every((f) => f.path.replace(/^\/+/, '').includes('/')) ? join(dir, [...tops][0]!) : dir;
}

export function withPackFiles<T>(files: PackFile[], run: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'kubelab-pack-'));
  try {
    return run(writePackFiles(files, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
