// `npm test`: type checks, the linter (eslint.config.js), a fresh build, then every test file in one node:test run (unit, integration, e2e).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
};
const node = process.execPath;
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);

const only = process.argv.slice(2);
if (only.length === 0) {
  run(node, [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  if (existsSync(join(root, 'src-renderer/tsconfig.json'))) run(node, [bin('svelte-check', 'bin/svelte-check'), '--tsconfig', 'src-renderer/tsconfig.json', '--fail-on-warnings=false', '--output', 'human']);
  run(node, [bin('eslint', 'bin/eslint.js'), '--max-warnings=0', 'src-main', 'src-renderer', 'bench', 'test', 'electron.config.ts']);
  run(node, ['scripts/build.mjs']);
}

function testFiles(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => relative(root, join(abs, f)))
    .sort();
}

const files = only.length ? only.flatMap((d) => (d.endsWith('.ts') ? [d] : testFiles(d))) : [...testFiles('test/unit'), ...testFiles('test/integration'), ...testFiles('test/e2e')];
run(node, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files]);
