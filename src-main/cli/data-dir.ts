import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user data directory where the cluster's state lives by default. */
export function defaultStateDir(): string {
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'kubelab');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'kubelab');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'kubelab');
}
