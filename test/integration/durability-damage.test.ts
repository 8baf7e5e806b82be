/**
 * Each kind of damage a disk can do to `--state DIR`, against a real `kubelab serve`: it starts, prints one line
 * saying what was lost and where the damaged copy is (no stack trace), keeps that copy, and serves every good
 * record. Also: the state dir is made 0700 and its files 0600 when they were looser.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configMap, configMaps, startStateServe } from './state-serve.ts';

const root = mkdtempSync(join(tmpdir(), 'kubelab-damage-'));
const base = join(root, 'base');
const SNAPSHOT_CMS = ['s1', 's2', 's3', 's4', 's5'];
const JOURNAL_CMS = ['j1', 'j2', 'j3', 'j4', 'j5'];
const ALL = [...SNAPSHOT_CMS, ...JOURNAL_CMS].sort();

before(async () => {
  // First start: s1..s5 go to the journal; the second start's compaction puts them in cluster.json (keeping the
  // first generation as cluster.1.*); j1..j5 are then journaled and the process is killed.
  let s = await startStateServe(['--state', base]);
  for (const n of SNAPSHOT_CMS) assert.equal((await s.api('POST', '/api/v1/namespaces/default/configmaps', configMap(n, `value-${n}`))).status, 201);
  await s.stop('SIGTERM');
  s = await startStateServe(['--state', base]);
  for (const n of JOURNAL_CMS) assert.equal((await s.api('POST', '/api/v1/namespaces/default/configmaps', configMap(n, `value-${n}`))).status, 201);
  await s.stop('SIGKILL');
});

after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function copyOfBase(): string {
  const dir = join(root, `case-${n++}`);
  cpSync(base, dir, { recursive: true });
  return dir;
}

/** Starts on the damaged dir; returns the one report line, the objects served, and the damaged-* directory. */
async function startDamaged(dir: string): Promise<{ line: string; names: string[]; aside: string }> {
  const s = await startStateServe(['--state', dir]);
  try {
    const err = s.stderr();
    assert.doesNotMatch(err, /SyntaxError|\n\s+at /, 'no JavaScript error, no stack trace');
    const lines = err.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, `one line on stderr:\n${err}`);
    const asides = readdirSync(dir).filter((f) => f.startsWith('damaged-'));
    assert.equal(asides.length, 1);
    const aside = join(dir, asides[0]!);
    assert.ok(lines[0]!.endsWith(aside), `the line names where the damaged copy is: ${lines[0]}`);
    return { line: lines[0]!, names: [...(await configMaps(s)).keys()].sort(), aside };
  } finally {
    await s.stop();
  }
}

const journalLines = (dir: string) => readFileSync(join(dir, 'cluster.journal'), 'utf8').split('\n');

test('a torn last journal record: reported as never acknowledged, every object kept', async () => {
  const dir = copyOfBase();
  const ls = journalLines(dir);
  const donor = ls.find((l) => l.includes('"name":"j5"'))!;
  writeFileSync(join(dir, 'cluster.journal'), ls.join('\n') + donor.slice(0, 60));
  const r = await startDamaged(dir);
  assert.match(r.line, /^kubelab: the saved cluster state in \S+ was damaged: cluster\.journal's last record is cut short \(a write interrupted by a crash, never acknowledged\)\. Lost: nothing that was acknowledged\. Started with \d+ objects; the damaged files are kept in /);
  assert.deepEqual(r.names, ALL);
  assert.ok(readFileSync(join(r.aside, 'cluster.journal'), 'utf8').endsWith(donor.slice(0, 60)), 'the damaged journal is kept as it was');
});

test('garbage in the middle of the journal: that record lost and named, every other kept, and no loss on the next start', async () => {
  const dir = copyOfBase();
  const ls = journalLines(dir);
  const at = ls.findIndex((l) => l.includes('"name":"j3"'));
  ls[at] = '\u0000\u0000garbage written by a failing disk\u0000';
  writeFileSync(join(dir, 'cluster.journal'), ls.join('\n'));
  const r = await startDamaged(dir);
  assert.match(r.line, new RegExp(`cluster\\.journal has 1 damaged record \\(line ${at + 1}, between resourceVersion \\d+ and \\d+\\)\\. Lost: 1 change\\.`));
  assert.deepEqual(r.names, ALL.filter((x) => x !== 'j3'));
  assert.ok(readFileSync(join(r.aside, 'cluster.journal'), 'utf8').includes('garbage written by a failing disk'));
  // The recovered state is a fresh, whole snapshot now: the next start is silent and has the same objects.
  const again = await startStateServe(['--state', dir]);
  try {
    assert.equal(again.stderr(), '');
    assert.deepEqual([...(await configMaps(again)).keys()].sort(), r.names);
  } finally {
    await again.stop();
  }
});

test('a truncated cluster.json is rebuilt from the previous generation: nothing lost', async () => {
  const dir = copyOfBase();
  const snap = readFileSync(join(dir, 'cluster.json'), 'utf8');
  writeFileSync(join(dir, 'cluster.json'), snap.slice(0, Math.floor(snap.length / 3)));
  const r = await startDamaged(dir);
  assert.match(r.line, /cluster\.json is cut short \(\d+ of \d+ objects readable\); rebuilt it from cluster\.1\.json and cluster\.1\.journal\. Lost: nothing that was acknowledged\./);
  assert.deepEqual(r.names, ALL);
  assert.equal(readFileSync(join(r.aside, 'cluster.json'), 'utf8').length, Math.floor(snap.length / 3));
});

test('an empty cluster.json and no previous generation: the journal kept, the snapshot objects counted as lost', async () => {
  const dir = copyOfBase();
  writeFileSync(join(dir, 'cluster.json'), '');
  rmSync(join(dir, 'cluster.1.json'));
  rmSync(join(dir, 'cluster.1.journal'));
  const r = await startDamaged(dir);
  assert.match(r.line, /: cluster\.json is empty\. Lost: \d+ objects of the snapshot\. Started with \d+ objects;/);
  for (const x of JOURNAL_CMS) assert.ok(r.names.includes(x), `${x} (journaled) is kept`);
  for (const x of SNAPSHOT_CMS) assert.ok(!r.names.includes(x), `${x} was only in the snapshot`);
  assert.equal(statSync(join(r.aside, 'cluster.json')).size, 0);
});

test('a missing cluster.json is rebuilt from the previous generation', async () => {
  const dir = copyOfBase();
  rmSync(join(dir, 'cluster.json'));
  const r = await startDamaged(dir);
  assert.match(r.line, /: cluster\.json is missing; rebuilt it from cluster\.1\.json and cluster\.1\.journal\. Lost: nothing that was acknowledged\./);
  assert.deepEqual(r.names, ALL);
  assert.ok(existsSync(join(r.aside, 'cluster.journal')));
});

test('a stale cluster.json.tmp is set aside; nothing lost', async () => {
  const dir = copyOfBase();
  writeFileSync(join(dir, 'cluster.json.tmp'), '{"half a snap');
  const r = await startDamaged(dir);
  assert.match(r.line, /: cluster\.json\.tmp was left by a snapshot that was being written when kubelab stopped\. Lost: nothing that was acknowledged\. Started with \d+ objects; the leftover file is kept in /);
  assert.deepEqual(r.names, ALL);
  assert.equal(readFileSync(join(r.aside, 'cluster.json.tmp'), 'utf8'), '{"half a snap');
});

test('a state dir made with loose modes is tightened: 0700 dirs, 0600 files', async () => {
  const dir = copyOfBase();
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir, { recursive: true }).map(String)) {
    const p = join(dir, f);
    chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
  }
  const s = await startStateServe(['--state', dir]);
  try {
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const modes = readdirSync(dir, { recursive: true }).map(String).map((f) => {
      const st = statSync(join(dir, f));
      return [f, (st.mode & 0o777).toString(8), st.isDirectory()] as const;
    });
    assert.ok(modes.length >= 5, `files: ${modes.map((m) => m[0])}`);
    for (const [f, mode, isDir] of modes) assert.equal(mode, isDir ? '700' : '600', f);
    assert.deepEqual([...(await configMaps(s)).keys()].sort(), ALL);
  } finally {
    await s.stop();
  }
});
