import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checksum, frame, readLines } from '../../../src-main/store/records.ts';
import { parseJournal, parseSnapshot } from '../../../src-main/store/state-files.ts';
import { recover } from '../../../src-main/store/recovery.ts';
import { StatePersistence } from '../../../src-main/store/persistence.ts';
import { Store } from '../../../src-main/store/store.ts';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { byKind } from '../../../src-main/api/resources.ts';
import type { KubeObject } from '../../../src-main/api/types.ts';

const cms = byKind('ConfigMap');
const cm = (name: string, v = '1'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } });
const anyRecord = (v: unknown): v is unknown => typeof v === 'object' && v !== null;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kubelab-persist-'));
}

/** A state dir with a snapshot of `before` and a journal of `after` (a fresh start, then writes). */
function stateWith(dir: string, before: string[], after: string[]): void {
  const store = new Store(new ManualClock(Date.UTC(2026, 0, 1)));
  const p = new StatePersistence(dir);
  p.load(store);
  for (const n of before) store.create(cms, cm(n));
  p.attach(store); // compaction: `before` in the snapshot
  for (const n of after) store.create(cms, cm(n));
  p.close();
}

function reload(dir: string): { names: string[]; report?: string; damagedDir?: string; store: Store } {
  const store = new Store(new ManualClock(Date.UTC(2026, 0, 2)));
  const p = new StatePersistence(dir, { now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) });
  const r = p.load(store);
  p.attach(store);
  p.close();
  const names = store.list(cms, {}).items.map((o) => o.metadata.name!).sort();
  return { names, report: r.report, damagedDir: r.damagedDir, store };
}

const lines = (path: string) => readFileSync(path, 'utf8').split('\n');
const write = (path: string, ls: string[]) => writeFileSync(path, ls.join('\n'));

test('a record is its JSON with a CRC-32 in front; a flipped byte, a torn tail and garbage are told apart', () => {
  assert.equal(checksum('123456789'), 'cbf43926', 'the CRC-32 check value');
  assert.match(frame({ a: 1 }), /^[0-9a-f]{8} \{"a":1\}\n$/);
  const good = frame({ n: 1 }) + frame({ n: 2 });
  const flipped = frame({ n: 3 }).replace('"n":3', '"n":4');
  const text = `${good}${flipped}garbage\n${frame({ n: 5 })}${frame({ n: 6 }).slice(0, 12)}`;
  const r = readLines(text, anyRecord);
  assert.deepEqual(r.records.map((x) => x.value), [{ n: 1 }, { n: 2 }, { n: 5 }]);
  assert.deepEqual(r.damaged.map((d) => [d.line, d.torn]), [[3, false], [4, false], [6, true]]);
  assert.deepEqual(r.damaged[0]!.claimed, { n: 4 }, 'a checksum mismatch still says what it claimed to be');
  assert.equal(r.legacy, false);
});

test('unchecksummed lines of the earlier format are still read', () => {
  const r = readLines('{"rv":1}\n{"rv":2}\n{"rv":', anyRecord);
  assert.deepEqual(r.records.map((x) => x.value), [{ rv: 1 }, { rv: 2 }]);
  assert.deepEqual(r.damaged, [{ line: 3, torn: true }]);
  assert.equal(r.legacy, true);
});

test('a clean state dir reloads every object, silently, and keeps the previous generation', () => {
  const dir = tempDir();
  try {
    stateWith(dir, ['a', 'b'], ['c', 'd']);
    const r = reload(dir);
    assert.deepEqual(r.names, ['a', 'b', 'c', 'd']);
    assert.equal(r.report, undefined);
    assert.ok(existsSync(join(dir, 'cluster.1.json')) && existsSync(join(dir, 'cluster.1.journal')));
    assert.equal(statSync(join(dir, 'cluster.json')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'cluster.journal')).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('garbage in the middle of the journal loses that record only, and says so', () => {
  const dir = tempDir();
  try {
    stateWith(dir, ['a'], ['b', 'c', 'd', 'e']);
    const j = join(dir, 'cluster.journal');
    const ls = lines(j);
    const at = ls.findIndex((l) => l.includes('"name":"c"'));
    ls[at] = 'xx garbage, not a record';
    write(j, ls);
    const r = reload(dir);
    assert.deepEqual(r.names, ['a', 'b', 'd', 'e']);
    assert.match(r.report!, /^kubelab: the saved cluster state in .* was damaged: cluster\.journal has 1 damaged record \(line \d+, between resourceVersion \d+ and \d+\)\. Lost: 1 change\. Started with 4 objects; the damaged files are kept in .*damaged-2026-01-02T03-04-05Z$/);
    assert.ok(!r.report!.includes('\n'));
    assert.ok(readFileSync(join(r.damagedDir!, 'cluster.journal'), 'utf8').includes('xx garbage'), 'the damaged copy is kept as it was');
    assert.equal(statSync(r.damagedDir!).mode & 0o777, 0o700);
    // The recovered state was compacted into a fresh snapshot: the next start is clean.
    assert.equal(reload(dir).report, undefined);
    assert.deepEqual(reload(dir).names, ['a', 'b', 'd', 'e']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a record whose checksum fails names the object it claims to be', () => {
  const dir = tempDir();
  try {
    stateWith(dir, [], ['a', 'b', 'c']);
    const j = join(dir, 'cluster.journal');
    const ls = lines(j);
    const at = ls.findIndex((l) => l.includes('"name":"b"'));
    ls[at] = ls[at]!.replace('"v":"1"', '"v":"2"');
    write(j, ls);
    const r = reload(dir);
    assert.deepEqual(r.names, ['a', 'c']);
    assert.match(r.report!, /probably configmaps default\/b/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a torn last record is reported as never acknowledged; everything before it is kept', () => {
  const dir = tempDir();
  try {
    stateWith(dir, ['a'], ['b', 'c']);
    const j = join(dir, 'cluster.journal');
    const text = readFileSync(j, 'utf8');
    writeFileSync(j, text.slice(0, text.length - 40));
    const r = reload(dir);
    assert.deepEqual(r.names, ['a', 'b']);
    assert.match(r.report!, /cluster\.journal's last record is cut short \(a write interrupted by a crash, never acknowledged\)\. Lost: nothing that was acknowledged\./);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a truncated snapshot is rebuilt from the previous generation: nothing lost', () => {
  const dir = tempDir();
  try {
    stateWith(dir, ['a', 'b'], ['c']);
    reload(dir); // a second start: cluster.1.* now hold a, b + c
    const s = join(dir, 'cluster.json');
    const text = readFileSync(s, 'utf8');
    writeFileSync(s, text.slice(0, Math.floor(text.length / 2)));
    const r = reload(dir);
    assert.deepEqual(r.names, ['a', 'b', 'c']);
    assert.match(r.report!, /cluster\.json is cut short \(\d of \d+ objects readable\); rebuilt it from cluster\.1\.json and cluster\.1\.journal\. Lost: nothing that was acknowledged\./);
    assert.ok(existsSync(join(r.damagedDir!, 'cluster.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty snapshot with no previous generation keeps the journal and counts what is lost', () => {
  const dir = tempDir();
  try {
    stateWith(dir, ['a', 'b'], ['c']);
    writeFileSync(join(dir, 'cluster.json'), '');
    for (const f of ['cluster.1.json', 'cluster.1.journal']) rmSync(join(dir, f), { force: true });
    const r = reload(dir);
    assert.deepEqual(r.names, ['c']);
    assert.match(r.report!, /cluster\.json is empty\. Lost: 2 objects of the snapshot\. Started with 1 objects/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing snapshot is damage when a journal continues it', () => {
  const dir = tempDir();
  try {
    stateWith(dir, ['a'], ['b']);
    rmSync(join(dir, 'cluster.json'));
    const r = reload(dir);
    assert.deepEqual(r.names, ['b']);
    assert.match(r.report!, /cluster\.json is missing\. Lost: 1 object of the snapshot\./);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a leftover cluster.json.tmp is set aside; nothing is lost', () => {
  const dir = tempDir();
  try {
    stateWith(dir, ['a'], ['b']);
    writeFileSync(join(dir, 'cluster.json.tmp'), 'half a snap');
    const r = reload(dir);
    assert.deepEqual(r.names, ['a', 'b']);
    assert.match(r.report!, /cluster\.json\.tmp was left by a snapshot that was being written when kubelab stopped\. Lost: nothing that was acknowledged\..*the leftover file is kept in/);
    assert.equal(readFileSync(join(r.damagedDir!, 'cluster.json.tmp'), 'utf8'), 'half a snap');
    assert.ok(existsSync(join(dir, 'cluster.1.json')), 'the good files stay where they are');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a compaction stopped between any two of its steps loses nothing', () => {
  // Each leaves the files as the process would have after that step of compact(); `tmp` whether the new snapshot's
  // temp file is still there.
  const steps: Array<{ after: string; tmp: boolean; act: (dir: string) => void }> = [
    { after: 'cluster.json -> cluster.1.json', tmp: true, act: (d) => renameSync(join(d, 'cluster.json'), join(d, 'cluster.1.json')) },
    {
      after: 'cluster.journal -> cluster.1.journal',
      tmp: true,
      act: (d) => {
        renameSync(join(d, 'cluster.json'), join(d, 'cluster.1.json'));
        renameSync(join(d, 'cluster.journal'), join(d, 'cluster.1.journal'));
      },
    },
    {
      after: 'cluster.json.tmp -> cluster.json',
      tmp: false,
      act: (d) => {
        const snapshot = readFileSync(join(d, 'cluster.json'));
        renameSync(join(d, 'cluster.json'), join(d, 'cluster.1.json'));
        renameSync(join(d, 'cluster.journal'), join(d, 'cluster.1.journal'));
        // The new snapshot holds what the old one plus its journal held.
        const store = new Store(new ManualClock());
        const p = new StatePersistence(mkdtempSync(join(tmpdir(), 'kubelab-persist-side-')));
        writeFileSync(join(p.dir, 'cluster.1.json'), snapshot);
        writeFileSync(join(p.dir, 'cluster.1.journal'), readFileSync(join(d, 'cluster.1.journal')));
        renameSync(join(p.dir, 'cluster.1.json'), join(p.dir, 'cluster.json'));
        renameSync(join(p.dir, 'cluster.1.journal'), join(p.dir, 'cluster.journal'));
        p.load(store);
        p.attach(store);
        p.close();
        writeFileSync(join(d, 'cluster.json'), readFileSync(join(p.dir, 'cluster.json')));
        rmSync(p.dir, { recursive: true, force: true });
      },
    },
  ];
  for (const step of steps) {
    const dir = tempDir();
    try {
      stateWith(dir, ['a'], ['b']);
      reload(dir);
      // more writes after the second start's compaction
      const store = new Store(new ManualClock());
      const p = new StatePersistence(dir);
      p.load(store);
      p.attach(store);
      store.create(cms, cm('c'));
      store.delete(cms, 'default', 'a');
      p.close();
      if (step.tmp) writeFileSync(join(dir, 'cluster.json.tmp'), readFileSync(join(dir, 'cluster.json')));
      step.act(dir);
      const r = reload(dir);
      assert.deepEqual(r.names, ['b', 'c'], `stopped after ${step.after}`);
      if (step.tmp) assert.match(r.report!, /: cluster\.json\.tmp was left by a snapshot that was being written when kubelab stopped\. Lost: nothing/, step.after);
      else assert.equal(r.report, undefined, step.after);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('state files of the earlier, unchecksummed format still load, damage in them included', () => {
  const dir = tempDir();
  try {
    const obj = (name: string, rv: number) => ({ ...cm(name), metadata: { name, namespace: 'default', resourceVersion: String(rv), uid: `u-${name}` } });
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify({ resourceVersion: 2, objects: [{ group: '', resource: 'configmaps', object: obj('old', 2) }] }));
    const rec = (rv: number, name: string, type = 'ADDED') => JSON.stringify({ rv, group: '', resource: 'configmaps', type, object: obj(name, rv) });
    writeFileSync(join(dir, 'cluster.journal'), [rec(3, 'x'), 'garbage', rec(5, 'y'), rec(6, 'old', 'DELETED'), ''].join('\n'));
    const r = reload(dir);
    assert.deepEqual(r.names, ['x', 'y']);
    assert.match(r.report!, /cluster\.journal has 1 damaged record \(line 2, between resourceVersion 3 and 5\)/);
    assert.equal(r.store.resourceVersion, '6');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('recover: a journal header lost with the snapshot whole keeps every record', () => {
  const snap = parseSnapshot('cluster.json', frame({ snapshot: 1, resourceVersion: 1, objects: 0 }));
  const rec = (rv: number, name: string) => frame({ rv, group: '', resource: 'configmaps', type: 'ADDED', object: { ...cm(name), metadata: { name, namespace: 'default' } } });
  const journal = parseJournal('cluster.journal', `garbled header\n${rec(2, 'a')}${rec(3, 'b')}`);
  const r = recover({ snapshot: snap, journal, previousSnapshot: parseSnapshot('cluster.1.json', undefined), previousJournal: parseJournal('cluster.1.journal', undefined), staleTemp: false });
  assert.deepEqual(r.entries.map((e) => e.object.metadata.name), ['a', 'b']);
  assert.deepEqual(r.problems, ["cluster.journal's header is damaged"]);
  assert.deepEqual(r.lost, []);
  assert.equal(r.resourceVersion, 3);
});

test('the state dir listing after damage: the damaged copy beside fresh files', () => {
  const dir = tempDir();
  try {
    stateWith(dir, ['a'], ['b']);
    writeFileSync(join(dir, 'cluster.json'), '{"resourceVersion": 3, "obj');
    const r = reload(dir);
    assert.match(r.report!, /cluster\.json is not a snapshot \(nothing in it can be read\)/);
    assert.deepEqual(readdirSync(r.damagedDir!).sort(), ['cluster.journal', 'cluster.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
