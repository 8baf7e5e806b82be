import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combine, meets, Report } from '../../../bench/report.ts';
import { parseBenchArgs } from '../../../bench/run.ts';

test('runs combine number by number into the median, with the range of the first number', () => {
  assert.equal(combine(['140 ms', '228 ms', '150 ms']), '150 ms (range 140–228)');
  assert.equal(combine(['130,827/s', '89,185/s', '100,000/s']), '100,000/s (range 89,185–130,827)');
  assert.equal(combine(['0.45 ms / 0.59 ms', '0.55 ms / 0.79 ms', '0.35 ms / 0.69 ms']), '0.45 ms / 0.69 ms (range 0.35–0.55)');
  assert.equal(combine(['4 ms', '4 ms']), '4 ms');
  // Texts of different shapes are not averaged into nonsense.
  assert.equal(combine(['12 ms', 'FAILED (exit 1)']), '12 ms | FAILED (exit 1)');
});

test('targets are judged on the median, across units', () => {
  assert.equal(meets('4060 ms', '≤ 5 s'), true);
  assert.equal(meets('8300 ms', '≤ 5 s'), false);
  assert.equal(meets('942 MB', '≤ 1 GB'), true);
  assert.equal(meets('89,185/s', '≥ 50,000/s'), true);
  assert.equal(meets('0.90%', '≤ 1%'), true);
  assert.equal(meets('0.67 / 0.16', '≥ 0.8'), false);
});

test('the report table has one row per figure over all runs', () => {
  const r = new Report();
  for (const [i, v] of [300, 200, 250].entries()) {
    r.startRun(i, 3);
    r.add('cluster', `cold boot (${i + 10} pods)`, `${v} ms`, '≤ 260 ms', v <= 260);
  }
  const md = r.markdown();
  assert.match(md, /median of 3 runs/);
  assert.match(md, /\| cluster \| cold boot \(10 pods\) \| 250 ms \(range 200–300\) \| ≤ 260 ms ok \|/);
  assert.equal(md.split('\n').filter((l) => l.startsWith('| cluster')).length, 1);
});

test('bench arguments: suites, --runs, --help; anything else is refused', () => {
  assert.deepEqual(parseBenchArgs(['network', '--runs', '5']), { suites: ['network'], runs: 5, help: false });
  assert.equal(parseBenchArgs(['--help']).help, true);
  assert.throws(() => parseBenchArgs(['--runs', '0']), /positive integer/);
  assert.throws(() => parseBenchArgs(['--fast']), /Unknown option '--fast'/);
  assert.throws(() => parseBenchArgs(['nosuch']), /unknown suite "nosuch"/);
});
