import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLesson, textsFor } from '../../../src-main/lessons/load.ts';
import { LessonCatalog, builtinLessonsDir } from '../../../src-main/lessons/catalog.ts';
import { assetScript } from '../../../src-main/lessons/assets.ts';
import { parseMarkdown } from '../../../src-main/lessons/markdown.ts';

const killercoda = fileURLToPath(new URL('../../fixtures/lessons/killercoda-web', import.meta.url));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lesson-format-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

test('a Killercoda scenario folder: its title, pages, scripts (on master by default) and host01 assets', () => {
  const l = loadLesson(killercoda, 'kc');
  assert.deepEqual(l.languages, ['en']);
  const { language, texts } = textsFor(l, 'ko');
  assert.equal(language, 'en', 'a one-language lesson falls back to its own language');
  assert.equal(texts.title, 'Expose a pod with a Service');
  assert.deepEqual(texts.steps.map((s) => s.title), ['Create the pod', 'Expose it', 'Delete the pod']);
  assert.match(texts.intro!.markdown, /cat \/root\/web-pod\.yaml`\{\{exec\}\}/);
  assert.equal(texts.finish!.markdown.trim(), 'You created a pod, exposed it with a Service and deleted it again.');
  assert.equal(l.steps[0]!.verify!.path, 'step1/verify.sh');
  assert.match(l.steps[2]!.verify!.source, /if kubectl get pod web; then exit 1; fi/);
  assert.deepEqual(l.steps[0]!.verify!.place, { kind: 'node', node: 'master' });
  assert.equal(l.intro.background!.path, 'intro/background.sh');
  assert.equal(l.steps[0]!.background, undefined);
  assert.deepEqual(l.assets.map((a) => [a.host, a.file, a.target]), [['host01', 'web-pod.yaml', '/root']]);
  assert.deepEqual(l.warnings, []);
  const script = assetScript(l.assets[0]!);
  assert.match(script, /^mkdir -p '\/root'\ncat > '\/root\/web-pod\.yaml' <<'KUBELAB_ASSET_EOF'\napiVersion: v1\n/);
});

test('languages: index.<lang>.json overrides titles and hints, <page>.<lang>.md replaces a page; ko-KR finds ko', () => {
  const dir = folder({
    'index.json': JSON.stringify({ title: 'T', details: { intro: { text: 'intro.md' }, steps: [{ title: 'One', text: 'one.md', hint: 'en hint' }, { title: 'Two', text: 'two.md', hint: { 3: 'three', default: 'hint.md' } }] } }),
    'index.ko.json': JSON.stringify({ title: '티', details: { steps: [{ title: '하나', hint: '한 힌트' }] } }),
    'intro.md': 'intro en', 'intro.ko.md': 'intro ko', 'one.md': 'one en', 'two.md': 'two en', 'two.fr.md': 'deux', 'hint.md': 'hint file en', 'hint.ko.md': 'hint file ko',
  });
  const l = loadLesson(dir, 'x');
  assert.deepEqual(l.languages, ['en', 'fr', 'ko']);
  const ko = textsFor(l, 'ko-KR');
  assert.equal(ko.language, 'ko');
  assert.equal(ko.texts.title, '티');
  assert.equal(ko.texts.intro!.markdown, 'intro ko');
  assert.deepEqual(ko.texts.steps.map((s) => [s.title, s.markdown]), [['하나', 'one en'], ['Two', 'two en']]);
  assert.equal(ko.texts.steps[0]!.hints.default, '한 힌트');
  assert.deepEqual(ko.texts.steps[1]!.hints, { default: 'hint file ko', byStatus: { 3: 'three' } });
  const fr = textsFor(l, 'fr');
  assert.equal(fr.texts.title, 'T');
  assert.equal(fr.texts.steps[1]!.markdown, 'deux');
  assert.equal(textsFor(l, 'en').texts.steps[1]!.hints.default, 'hint file en');
});

test('a lesson in one language other than English says so with "language"', () => {
  const l = loadLesson(folder({ 'index.json': JSON.stringify({ title: '한국어', language: 'ko', details: { steps: [{ text: 's.md' }] } }), 's.md': '본문' }), 'k');
  assert.deepEqual(l.languages, ['ko']);
  assert.equal(textsFor(l, 'en').language, 'ko');
  assert.equal(textsFor(l, 'en').texts.steps[0]!.title, 'Step 1');
});

test('bad folders fail with the file and field, and never read outside the lesson', () => {
  const bad = (files: Record<string, string>) => () => loadLesson(folder(files), 'b');
  assert.throws(bad({ 'index.json': '{ "title": ' }), /^Error: index\.json: /);
  assert.throws(bad({ 'index.json': JSON.stringify({ details: { steps: [{ text: 'missing.md' }] } }) }), /details\.steps\[0\]\.text: file "missing\.md" not found/);
  assert.throws(bad({ 'index.json': JSON.stringify({ details: { steps: [{ text: '../../../etc/passwd' }] } }) }), /is outside the lesson folder/);
  assert.throws(bad({ 'index.json': JSON.stringify({ details: { steps: {} } }) }), /details\.steps must be a list/);
  assert.throws(bad({ 'index.json': JSON.stringify({ details: { steps: [{ text: 's.md', hint: { soon: 'x' } }] } }), 's.md': '' }), /keys are exit statuses/);
  assert.throws(bad({ 'index.json': JSON.stringify({ details: { steps: [{ text: 's.md', shell: 'Not A Node' }] } }), 's.md': '' }), /shell must be a node name or "laptop"/);
  assert.throws(() => loadLesson(tmpdir(), 'none'), /no index\.json/);
});

test('a step may run its scripts elsewhere and name the objects it is about', () => {
  const l = loadLesson(folder({ 'index.json': JSON.stringify({ shell: 'worker1', details: { steps: [{ text: 's.md', verify: 'v.sh', highlight: ['svc/web', 'kube-system/svc/kube-dns'] }, { text: 's.md', verify: 'v.sh', shell: 'laptop' }] } }), 's.md': '', 'v.sh': 'true' }), 'p');
  assert.deepEqual(l.steps[0]!.verify!.place, { kind: 'node', node: 'worker1' });
  assert.deepEqual(l.steps[1]!.verify!.place, { kind: 'laptop' });
  assert.deepEqual(l.steps[0]!.highlight, [{ kind: 'Service', name: 'web' }, { kind: 'Service', namespace: 'kube-system', name: 'kube-dns' }]);
});

test('the built-in lessons load, in structure.json order, each in Korean and English, every step with a check', () => {
  const catalog = new LessonCatalog(builtinLessonsDir(), join(tmpdir(), 'no-such-imported-dir'));
  const entries = catalog.entries();
  assert.equal(entries[0]!.id, 'clusterip');
  assert.equal(catalog.resolve('1')!.id, 'clusterip');
  for (const e of entries) {
    const l = loadLesson(e.dir, e.id);
    assert.deepEqual(l.languages, ['en', 'ko'], e.id);
    assert.ok(l.steps.length >= 3 && l.steps.length <= 8, e.id);
    for (const [i, s] of l.steps.entries()) assert.ok(s.verify, `${e.id} step ${i + 1} has a verify script`);
    const en = textsFor(l, 'en').texts;
    const ko = textsFor(l, 'ko').texts;
    for (const [i, s] of ko.steps.entries()) {
      assert.notEqual(s.title, en.steps[i]!.title, `${e.id} step ${i + 1} has a Korean title`);
      assert.notEqual(s.markdown, en.steps[i]!.markdown, `${e.id} step ${i + 1} has a Korean text`);
      assert.ok(s.hints.default || Object.keys(s.hints.byStatus).length, `${e.id} step ${i + 1} has hints`);
      const actions = (md: string) => parseMarkdown(md).blocks.filter((b) => b.action !== 'none').map((b) => [b.action, b.interrupt, b.code.replace(/<[^>]+>/g, '<>').replace(/ *#.*$/gm, '')]);
      assert.deepEqual(actions(s.markdown), actions(en.steps[i]!.markdown), `${e.id} step ${i + 1}: the same commands in both languages (comments and <placeholders> aside)`);
    }
    assert.ok(en.finish && ko.finish && en.intro && ko.intro);
  }
});
