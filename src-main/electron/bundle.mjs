// Bundles the Electron main process and the preload to CommonJS in dist/electron/ (the preload must be a single
// file: a sandboxed preload cannot require our modules). Run: node src-main/electron/bundle.mjs
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['electron', 'node-pty'],
  logLevel: 'info',
  absWorkingDir: root,
};

await build({ ...common, entryPoints: ['src-main/electron/main.ts'], outfile: 'dist/electron/main.cjs' });
await build({ ...common, entryPoints: ['src-main/electron/preload.ts'], outfile: 'dist/electron/preload.cjs' });
