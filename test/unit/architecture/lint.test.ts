/**
 * The linter guards the layers (eslint.config.js): each rule is shown failing on a planted violation, so a
 * misconfigured rule that accepts everything fails here, and the import graph has no cycles, type-only ones included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { importGraph, cycles } from './import-graph.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root, ignore: false });
const rules = async (code: string, filePath: string) => (await eslint.lintText(code, { filePath }))[0]!.messages.map((m) => m.ruleId ?? m.message);

test('a node worker file importing the control plane or the shell is a layer break', async () => {
  for (const upper of ['cluster/cluster.ts', 'host/service.ts', 'registry/registry.ts', 'shell/session.ts']) {
    assert.deepEqual(await rules(`import '../${upper}';\n`, 'src-main/node/planted.ts'), ['import-x/no-restricted-paths'], upper);
  }
  assert.deepEqual(await rules(`import '../net/addresses.ts';\n`, 'src-main/node/planted.ts'), [], 'a lower layer is fine');
});

test('kubectl importing the API server, and the renderer importing src-main beyond contract/, are layer breaks', async () => {
  assert.deepEqual(await rules(`import '../apiserver/server.ts';\n`, 'src-main/kubectl/planted.ts'), ['import-x/no-restricted-paths']);
  assert.deepEqual(await rules(`import '../../src-main/cluster/cluster.ts';\n`, 'src-renderer/lib/planted.ts'), ['import-x/no-restricted-paths']);
  assert.deepEqual(await rules(`import type { Requests } from '../../src-main/contract/contract.ts';\nexport type R = Requests;\n`, 'src-renderer/lib/planted.ts'), []);
});

test('an explicit any in src-main is refused', async () => {
  assert.deepEqual(await rules('export const x: any = 1;\n', 'src-main/api/planted.ts'), ['@typescript-eslint/no-explicit-any']);
});

test('an import cycle is refused', async () => {
  const [result] = await eslint.lintFiles(['test/fixtures/lint-planted/cycle-a.ts']);
  assert.deepEqual(result!.messages.map((m) => m.ruleId), ['import-x/no-cycle']);
});

test('the import graph of src-main and the renderer has no cycle, type-only imports included', () => {
  const graph = importGraph(root, ['src-main', 'src-renderer']);
  assert.ok(graph.size > 300, 'the graph saw the sources');
  assert.deepEqual(cycles(graph).map((c) => c.join(' -> ')), []);
  const planted = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']]]);
  assert.deepEqual(cycles(planted), [['a.ts', 'b.ts', 'c.ts']], 'a planted cycle is found');
});

test('Svelte components (which eslint does not parse here) import nothing from src-main but contract/', () => {
  const dir = join(root, 'src-renderer');
  const svelte = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.svelte'));
  assert.ok(svelte.length > 5);
  const breaks = svelte.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/from\s+['"]([^'"]*src-main\/[^'"]*)['"]/g)].map((m) => `${f}: ${m[1]}`)).filter((b) => !/src-main\/contract\//.test(b));
  assert.deepEqual(breaks, []);
});
