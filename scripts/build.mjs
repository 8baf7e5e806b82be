// Bundles the host (CLI, node worker, Electron main/preload) with esbuild and the renderer with Vite.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning', absWorkingDir: root };

// OpenAPI schemas come from kubernetes-types through the TypeScript compiler, a devDependency: generate them here
// (into a committed JSON file the server imports) so the bundles never load typescript at run time.
const gen = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/apiserver/openapi/write-schemas.ts'], { cwd: root, stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);

const [split] = await Promise.all([
  // Split, so `kubelab --help` or `kubelab shell` load only what they use; chunks sit beside the entries.
  build({ ...common, format: 'esm', splitting: true, chunkNames: 'chunk-[hash]', entryPoints: { cli: 'src-main/cli/main.ts' }, outdir: 'dist', metafile: true }),
  // The node worker, one self-contained CommonJS file: each of 50 node threads then loads one file through the CommonJS
  // loader instead of four chunks through the ES module loader (whose own modules are start-up cost in every thread).
  build({ ...common, format: 'cjs', entryPoints: { 'node-worker': 'src-main/node/worker.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' } }),
  // Electron's main is an ES module beside cli.js, so its import.meta.url finds node-worker.cjs and renderer/.
  existsSync(`${root}/src-main/electron/main.ts`) &&
    build({ ...common, format: 'esm', entryPoints: { 'electron-main': 'src-main/electron/main.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' } }),
  existsSync(`${root}/src-main/electron/preload.ts`) &&
    // A sandboxed preload cannot require our modules: one self-contained CommonJS file.
    build({ ...common, packages: undefined, format: 'cjs', entryPoints: { preload: 'src-main/electron/preload.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
]);

// Chunks of earlier builds (content-hashed names) would linger beside the new ones.
const fresh = new Set(Object.keys(split.metafile.outputs).map((o) => o.replace(/^dist\//, '')));
for (const f of readdirSync(`${root}/dist`)) if (/^chunk-.*\.js(\.map)?$/.test(f) && !fresh.has(f)) rmSync(`${root}/dist/${f}`);
// The node worker was an ES module beside cli.js before it became node-worker.cjs.
rmSync(`${root}/dist/node-worker.js`, { force: true });
rmSync(`${root}/dist/node-worker.js.map`, { force: true });

if (existsSync(`${root}/src-renderer/vite.config.ts`) && !process.argv.includes('--no-renderer')) {
  const r = spawnSync(process.execPath, [`${root}/node_modules/vite/bin/vite.js`, 'build', '--config', 'src-renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
