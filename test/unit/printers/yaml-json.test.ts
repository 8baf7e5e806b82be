import { test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { toGoYAML, yamlKeyLess } from '../../../src-main/printers/text/yaml.ts';
import { goJSONCompact, listForOutput, printJSON } from '../../../src-main/printers/text/json.ts';
import { wireOutput } from './wire.ts';

for (const file of ['11-get-yaml.out', 'final-12.out']) {
  test(`-o yaml reproduces real kubectl output ${file}`, () => {
    const real = wireOutput(file);
    assert.equal(toGoYAML(YAML.parse(real)), real);
  });
}

for (const file of ['12-get-json-list.out', 'final-13.out']) {
  test(`-o json reproduces real kubectl output ${file}`, () => {
    const real = wireOutput(file);
    assert.equal(printJSON(JSON.parse(real)), real);
  });
}

test('json escapes HTML characters as Go does and sorts keys', () => {
  assert.equal(goJSONCompact({ b: '<none>', a: '&' }), '{"a":"\\u0026","b":"\\u003cnone\\u003e"}');
  assert.equal(printJSON({ z: {}, a: [] }), '{\n    "a": [],\n    "z": {}\n}\n');
});

test('lists are wrapped as kind List with an empty resourceVersion', () => {
  const out = printJSON(listForOutput([{ kind: 'Pod' }], false));
  assert.equal(out, '{\n    "apiVersion": "v1",\n    "items": [\n        {\n            "kind": "Pod"\n        }\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
  assert.deepEqual(listForOutput([{ kind: 'Pod' }], true), { kind: 'Pod' });
});

test('yaml quoting follows go-yaml v2', () => {
  const y = toGoYAML({
    a: 'True', b: '1028', c: '', d: '2026-11-25T18:16:37Z', e: '25%', f: '*', g: 'x: y', h: '1:20', i: 'tab\there',
    j: 'line1\nline2\n', k: 'no newline\nend', l: null, m: 0.5, n: 'nginx:1.28', o: '- a', p: 'yes', q: '0x1F', r: ' lead',
  });
  assert.equal(
    y,
    [
      'a: "True"', 'b: "1028"', 'c: ""', 'd: "2026-11-25T18:16:37Z"', 'e: 25%', "f: '*'", "g: 'x: y'", 'h: "1:20"',
      'i: "tab\\there"', 'j: |', '  line1', '  line2', 'k: |-', '  no newline', '  end', 'l: null', 'm: 0.5', '"n": nginx:1.28',
      "o: '- a'", 'p: "yes"', 'q: "0x1F"', "r: ' lead'", '',
    ].join('\n'),
  );
});

test('yaml folds long plain strings past column 80', () => {
  const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
  const out = toGoYAML({ status: { message: words } });
  const lines = out.split('\n');
  assert.ok(lines.length > 3);
  assert.ok(lines[2].startsWith('    word'), lines[2]);
  assert.equal(out.replace(/\n    /g, ' '), `status:\n  message: ${words}\n`);
});

test('yaml key order: digits numerically, non-letters before letters', () => {
  assert.equal(yamlKeyLess('a2', 'a10'), true);
  assert.equal(yamlKeyLess('app', 'app.kubernetes.io/name'), true);
  assert.equal(yamlKeyLess('a-b', 'ab'), true);
  assert.equal(yamlKeyLess('Z', 'a'), true);
});
