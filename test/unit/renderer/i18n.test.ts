import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../../../src-renderer/lib/i18n/en.ts';
import { ko } from '../../../src-renderer/lib/i18n/ko.ts';
import { chooseLang, detectLang, format, translate } from '../../../src-renderer/lib/i18n/select.ts';

test('detectLang takes the first preferred language we have', () => {
  assert.equal(detectLang(['ko-KR', 'en-US']), 'ko');
  assert.equal(detectLang(['KO']), 'ko');
  assert.equal(detectLang(['fr-FR', 'en-GB', 'ko']), 'en');
  assert.equal(detectLang(['de', 'ko-KR']), 'ko');
  assert.equal(detectLang(['ja-JP']), 'en');
  assert.equal(detectLang([]), 'en');
});

test('a saved choice wins over the browser, unless it is not a language we have', () => {
  assert.equal(chooseLang('en', ['ko-KR']), 'en');
  assert.equal(chooseLang('ko', ['en-US']), 'ko');
  assert.equal(chooseLang('fr', ['ko-KR']), 'ko');
  assert.equal(chooseLang(null, ['en-US']), 'en');
});

test('format fills {placeholders} and leaves unknown ones', () => {
  assert.equal(format('{ready}/{total} nodes Ready', { ready: 2, total: 3 }), '2/3 nodes Ready');
  assert.equal(format('on {node} {missing}', { node: 'worker1' }), 'on worker1 {missing}');
  assert.equal(format('no vars'), 'no vars');
});

test('translate picks the table of the language and falls back to English', () => {
  const tables: { en: Partial<Record<'a' | 'b', string>>; ko: Partial<Record<'a' | 'b', string>> } = { en: { a: 'A {x}', b: 'B' }, ko: { a: '가 {x}' } };
  assert.equal(translate(tables, 'ko', 'a', { x: 1 }), '가 1');
  assert.equal(translate(tables, 'en', 'a', { x: 1 }), 'A 1');
  assert.equal(translate(tables, 'ko', 'b'), 'B');
});

test('the Korean table has every key, none empty, with the same placeholders as English', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(en) as Array<keyof typeof en>) {
    assert.ok(ko[key]?.trim(), `ko has ${key}`);
    assert.deepEqual(placeholders(ko[key]), placeholders(en[key]), `placeholders of ${key}`);
  }
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  // The UI really switches: most labels differ (kubectl terms like YAML may stay).
  const same = (Object.keys(en) as Array<keyof typeof en>).filter((k) => en[k] === ko[k]);
  assert.ok(same.length < Object.keys(en).length / 5, `few labels untranslated: ${same.join(', ')}`);
});
