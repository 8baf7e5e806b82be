/**
 * The files a fresh lab's home starts with (assets/lab-home): the seed lesson's manifests in ~/k8s_lab/service, where
 * the seed's learner keeps them, so that `kubectl apply -f ~/k8s_lab/service/` works before anything was typed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VirtualFs } from '../../userland/fs/virtual-fs.ts';

/** The repository's assets/lab-home, from the sources (src-main/host/terminals) or the bundle (dist/). */
export function labHomeDir(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? '../../../assets/lab-home/' : '../assets/lab-home/', here));
}

/** Relative paths and contents of every file under `dir`, in name order. */
export function labHomeFiles(dir = labHomeDir()): Array<[string, string]> {
  if (!existsSync(dir)) return [];
  const out: Array<[string, string]> = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out.push([path, readFileSync(join(dir, path), 'utf8')]);
    }
  };
  walk('');
  return out;
}

/** Writes the lab home's files under `fs.home` (a fresh filesystem: nothing of the learner's is overwritten). */
export function seedLabHome(fs: VirtualFs, files = labHomeFiles()): void {
  for (const [rel, content] of files) {
    const path = `${fs.home}/${rel}`;
    fs.mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true, silent: true });
    fs.writeFile(path, content);
  }
}
