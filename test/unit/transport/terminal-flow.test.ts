import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TERMINAL_HIGH_WATERMARK, TERMINAL_LOW_WATERMARK } from '../../../src-main/contract/contract.ts';
import { TerminalFlow } from '../../../src-main/host/transport/terminal-flow.ts';

function recorder() {
  const sent: string[] = [];
  const exits: number[] = [];
  return { sent, exits, sink: { data: (p: { data: string }) => sent.push(p.data), exit: (p: { code: number }) => exits.push(p.code) } };
}

test('sends until the high watermark, then holds data until acks bring it under the low watermark', () => {
  const r = recorder();
  const flow = new TerminalFlow('t1', r.sink);
  const chunk = 'x'.repeat(10_000);
  for (let i = 0; i < 15; i++) flow.push(chunk);
  const sentUnits = r.sent.join('').length;
  assert.equal(sentUnits, TERMINAL_HIGH_WATERMARK);
  assert.equal(flow.heldBack, 15 * 10_000 - TERMINAL_HIGH_WATERMARK);

  flow.ack(50_000); // 50k unacked: still above the low watermark, stays paused
  assert.equal(r.sent.join('').length, sentUnits);
  flow.ack(100_000 - 50_000 - TERMINAL_LOW_WATERMARK); // exactly at the low watermark: resume
  assert.equal(r.sent.join('').length, 15 * 10_000);
  assert.equal(flow.heldBack, 0);
});

test('an exit waits behind held data', () => {
  const r = recorder();
  const flow = new TerminalFlow('t1', r.sink, 10, 5);
  flow.push('0123456789');
  flow.push('abc');
  flow.exit(0);
  assert.deepEqual(r.exits, []);
  flow.ack(10);
  assert.deepEqual(r.sent, ['0123456789', 'abc']);
  assert.deepEqual(r.exits, [0]);
});

test('ignores nonsense acks', () => {
  const r = recorder();
  const flow = new TerminalFlow('t1', r.sink, 10, 5);
  flow.push('0123456789');
  flow.ack(Number.NaN);
  flow.ack(-5);
  assert.equal(flow.unacknowledged, 10);
});
