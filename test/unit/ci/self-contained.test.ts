/** A clone of the repository alone runs its tests: nothing under test/, bench/ or scripts/ reads outside it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const OUTSIDE = /\.\.\/\.\.\/\.\.\/shared|\/work\/shared|\$\{SHARED\}|shared-path/;

test('tests, benchmarks and scripts read only files of the repository', () => {
  const offenders: string[] = [];
  for (const dir of ['test', 'bench', 'scripts']) {
    for (const f of readdirSync(join(root, dir), { recursive: true }).map(String)) {
      if (!/\.(ts|mjs|js)$/.test(f) || f.endsWith('self-contained.test.ts')) continue;
      const text = readFileSync(join(root, dir, f), 'utf8');
      if (OUTSIDE.test(text)) offenders.push(`${dir}/${f}`);
    }
  }
  assert.deepEqual(offenders, []);
});
