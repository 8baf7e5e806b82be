import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GENERATED_PATH, generatedText } from '../../../src-main/apiserver/openapi/write-schemas.ts';
import { schemas } from '../../../src-main/apiserver/openapi/openapi.ts';

const dist = fileURLToPath(new URL('../../../dist', import.meta.url));

test('the committed OpenAPI schemas are what the generator makes from kubernetes-types', () => {
  assert.equal(readFileSync(GENERATED_PATH, 'utf8'), generatedText(), 'run node scripts/build.mjs to regenerate');
});

test('the served schemas come from the generated file, tagged with their kinds', () => {
  const pod = schemas()['io.k8s.api.core.v1.Pod'];
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.ok(pod.properties?.spec);
});

test('no bundle loads the TypeScript compiler', { skip: !existsSync(dist) && 'no dist/' }, () => {
  const bundles = readdirSync(dist).filter((f) => /\.(m?js)$/.test(f));
  assert.ok(bundles.length > 0);
  for (const f of bundles) {
    const text = readFileSync(`${dist}/${f}`, 'utf8');
    assert.ok(!/from ["']typescript["']|require\(["']typescript["']\)|createProgram/.test(text), `${f} uses typescript`);
  }
});
