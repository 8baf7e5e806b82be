/**
 * The engine and the contract's lesson.* handlers over it, with scripts run by a real shell session (generic tools on
 * a virtual file system): a check is the verify script's exit status, hints are picked by it, progress persists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LessonEngine, type ScriptRunner } from '../../../src-main/lessons/engine.ts';
import { lessonHandlers } from '../../../src-main/lessons/contract-handlers.ts';
import type { ScriptPlace } from '../../../src-main/lessons/format.ts';
import type { LessonState } from '../../../src-main/contract/lessons.ts';
import { makeShell } from '../shell/helpers.ts';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lesson-engine-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

/** Two steps: make /tmp/a (verify exits 2 without it, 3 when it is empty), then /tmp/b. */
function builtin(): string {
  return folder({
    'structure.json': JSON.stringify({ items: [{ path: 'files' }] }),
    'files/index.json': JSON.stringify({
      title: 'Files',
      details: {
        intro: { text: 'intro.md', background: 'setup.sh' },
        steps: [
          { title: 'Make a', text: 'a.md', verify: 'a.sh', hint: { 2: 'create /tmp/a', default: 'put something in /tmp/a' } },
          { title: 'Make b', text: 'b.md', verify: 'b.sh', background: 'b-bg.sh', hint: 'touch /tmp/b' },
        ],
        finish: { text: 'done.md', background: 'finish.sh' },
      },
    }),
    'files/index.ko.json': JSON.stringify({ title: '파일', details: { steps: [{ title: 'a 만들기', hint: { 2: '/tmp/a 를 만든다' } }] } }),
    'files/intro.md': 'Intro `echo hi`{{exec}}',
    'files/a.md': 'Run `echo x > /tmp/a`{{exec}}',
    'files/a.ko.md': '`echo x > /tmp/a`{{exec}} 실행',
    'files/b.md': 'Run `touch /tmp/b`{{copy}}',
    'files/done.md': 'Done',
    'files/setup.sh': 'rm -f /tmp/a /tmp/b; echo setup >> /tmp/log',
    'files/b-bg.sh': 'echo b-bg >> /tmp/log',
    'files/finish.sh': 'echo finish >> /tmp/log',
    'files/a.sh': 'test -e /tmp/a || exit 2\ntest -s /tmp/a || { echo "/tmp/a is empty"; exit 3; }',
    'files/b.sh': 'test -e /tmp/b',
  });
}

function engine(lessonsDir: string, builtinDir: string, now = () => 1_700_000_000_000) {
  const { shell, fs } = makeShell();
  const places: ScriptPlace[] = [];
  const runner: ScriptRunner = { run: (place, script) => (places.push(place), shell.runLine(script)) };
  let resets = 0;
  let marks = 0;
  const e = new LessonEngine({
    runner, resetCluster: async () => void resets++, markTraffic: async () => void marks++, nodes: () => ['master', 'worker1'],
    builtinDir, lessonsDir, persistProgress: true, now,
  });
  return { e, shell, fs, places, counts: () => ({ resets, marks }) };
}

test('start resets the cluster and runs the intro; a check fails with the hint for its exit status, then passes and advances', async () => {
  const lessonsDir = mkdtempSync(join(tmpdir(), 'lessons-state-'));
  const { e, shell, counts } = engine(lessonsDir, builtin());
  const changes: Array<LessonState | null> = [];
  e.onChange((s) => changes.push(s));
  const r = await e.start('files', { lang: 'en' });
  assert.deepEqual(counts(), { resets: 1, marks: 1 });
  assert.deepEqual(r.warnings, []);
  assert.equal(r.state.step, 1);
  assert.equal(r.state.page.title, 'Make a');
  assert.deepEqual(r.state.page.blocks.map((b) => [b.code, b.action]), [['echo x > /tmp/a', 'exec']]);

  let c = await e.check();
  assert.deepEqual([c.passed, c.status, c.hint], [false, 2, 'create /tmp/a']);
  await shell.runLine('touch /tmp/a');
  c = await e.check();
  assert.deepEqual([c.passed, c.status, c.hint, c.output], [false, 3, 'put something in /tmp/a', '/tmp/a is empty\n']);
  await assert.rejects(e.next(), /step 1 is not done yet/);
  await shell.runLine('echo x > /tmp/a');
  c = await e.check();
  assert.equal(c.passed, true);
  assert.equal(c.state.step, 2);
  assert.equal(counts().marks, 2, 'the new step marked the traffic counters');

  const ko = await e.check('ko');
  assert.equal(ko.hint, 'touch /tmp/b', 'no Korean hint for step 2: the English one');
  assert.equal(e.page(1, 'ko').title, 'a 만들기');
  assert.equal(e.page(1, 'ko').markdown, '`echo x > /tmp/a` 실행');
  assert.equal(e.language(), 'ko', 'the language is remembered');

  const back = await e.previous();
  assert.equal(back.step, 1);
  assert.equal((await e.next()).step, 2);
  await shell.runLine('touch /tmp/b');
  c = await e.check();
  assert.deepEqual([c.passed, c.finished, c.state.page.kind], [true, true, 'finish']);
  assert.equal((await shell.runLine('cat /tmp/log')).stdout, 'setup\nb-bg\nfinish\n', 'step 2\'s background ran once, despite previous/next');
  assert.ok(changes.length >= 5 && changes.at(-1)!.finished);

  const exp = e.exportProgress('Lee');
  assert.equal(exp.learner.name, 'Lee');
  assert.deepEqual(exp.lessons.map((l) => [l.id, l.stepsPassed, l.finished, l.steps.map((s) => s.attempts)]), [['files', [1, 2], true, [3, 2]]]);
  assert.equal(exp.lessons[0]!.startedAt, '2023-11-14T22:13:20.000Z');
});

test('progress persists in its own 0600 file, written atomically, and a new engine picks it up', async () => {
  const lessonsDir = mkdtempSync(join(tmpdir(), 'lessons-state-'));
  const dir = builtin();
  const a = engine(lessonsDir, dir);
  await a.e.start('1');
  await a.shell.runLine('echo x > /tmp/a');
  await a.e.check();
  const file = join(lessonsDir, 'progress.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(lessonsDir).filter((f) => f.includes('tmp')), []);

  const b = engine(lessonsDir, dir);
  const s = b.e.status()!;
  assert.deepEqual([s.id, s.step, s.passed, s.reached], ['files', 2, [1], 2]);
  await b.e.resume();
  assert.equal(b.counts().marks, 1, 'resume marks the counters for the active step');

  writeFileSync(file, '{ not json');
  const c = engine(lessonsDir, dir);
  assert.equal(c.e.status(), null, 'a broken file starts afresh');
  assert.ok(existsSync(`${file}.corrupt`), 'and is kept beside');
  assert.match(readFileSync(`${file}.corrupt`, 'utf8'), /not json/);
});

test('reset starts the lesson again; a background script that fails is a warning; unknown lessons are errors', async () => {
  const dir = builtin();
  writeFileSync(join(dir, 'files/setup.sh'), 'rm -f /tmp/a /tmp/b; exit 7');
  const { e, counts } = engine(mkdtempSync(join(tmpdir(), 'lessons-state-')), dir);
  const r = await e.start('files');
  assert.deepEqual(r.warnings, ['setup.sh: exit status 7']);
  const again = await e.reset();
  assert.equal(again.state.step, 1);
  assert.equal(counts().resets, 2);
  await assert.rejects(e.start('nope'), /lesson "nope" not found/);
  assert.throws(() => e.setLanguage('Korean!'), /invalid language/);
});

test('the contract handlers: list, get, start, page, check, next, progress, import, language', async () => {
  const lessonsDir = mkdtempSync(join(tmpdir(), 'lessons-state-'));
  const { e, shell } = engine(lessonsDir, builtin());
  const h = lessonHandlers(() => e);
  const list = await h['lesson.list']({ lang: 'ko' });
  assert.deepEqual(list.map((l) => [l.id, l.title, l.language, l.languages, l.steps, l.source, l.active]), [['files', '파일', 'ko', ['en', 'ko'], 2, 'builtin', false]]);
  const view = await h['lesson.get']({ id: 'files', lang: 'en' });
  assert.deepEqual([view.intro!.kind, view.intro!.number, view.steps.map((s) => s.number), view.finish!.number], ['intro', 0, [1, 2], 3]);
  assert.equal(view.steps[1]!.blocks[0]!.action, 'copy');
  assert.equal(await h['lesson.status']({}), null);
  const started = await h['lesson.start']({ id: 'files', runForeground: false });
  assert.equal(started.state.page.verify, true);
  assert.equal((await h['lesson.page']({ step: 0 })).kind, 'intro');
  assert.equal((await h['lesson.check']({})).passed, false);
  await shell.runLine('echo x > /tmp/a');
  assert.equal((await h['lesson.check']({})).state.step, 2);
  assert.deepEqual((await h['lesson.previous']({})).step, 1);
  assert.deepEqual((await h['lesson.next']({})).step, 2);
  assert.equal((await h['lesson.progress']({ learner: 'Park' })).learner.name, 'Park');
  assert.equal(await h['lesson.setLanguage']({ lang: 'en' }), null);

  const pack = folder({ 'my-lesson/index.json': JSON.stringify({ title: 'Mine', details: { steps: [{ text: 's.md' }] } }), 'my-lesson/s.md': 'x' });
  const imported = await h['lesson.import']({ path: pack });
  assert.deepEqual(imported.map((l) => [l.id, l.source]), [['my-lesson', 'imported']]);
  assert.ok(existsSync(join(lessonsDir, 'imported', 'my-lesson', 'index.json')));
  assert.throws(() => h['lesson.import']({ path: folder({ 'files/index.json': '{"details":{"steps":[{"text":"s.md"}]}}', 'files/s.md': '' }) }), /lesson "files" is built in/);
  assert.throws(() => h['lesson.import']({ path: folder({ 'broken/index.json': '{"details":{"steps":[{"text":"gone.md"}]}}' }) }), /lesson "broken": .*gone\.md" not found/);
  assert.throws(() => lessonHandlers(() => undefined)['lesson.list']({}), /lessons are not available/);
});
