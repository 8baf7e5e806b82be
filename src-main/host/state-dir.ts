/**
 * The state directory holds Secrets, the kubeconfig's token and the learner's files: only its owner may read it.
 * The directory and every directory under it are made 0700 and every file 0600 (0700 if it is a program), also
 * when it was created earlier with looser modes.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function tighten(path: string): void {
  for (const name of readdirSync(path)) {
    const p = join(path, name);
    const st = lstatSync(p);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== 0o700) chmodSync(p, 0o700);
      tighten(p);
    } else if (st.isFile()) {
      const want = st.mode & 0o100 ? 0o700 : 0o600;
      if ((st.mode & 0o777) !== want) chmodSync(p, want);
    }
  }
}

export function secureStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Windows has no such modes: access there follows the user profile's ACLs.
  if (process.platform === 'win32') return;
  chmodSync(dir, 0o700);
  tighten(dir);
}
