import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CursorBlink } from '../../../src-renderer/views/terminal/cursor-blink.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the cursor blinks after a wake and stops once nothing happened for the timeout', async () => {
  const calls: boolean[] = [];
  const blink = new CursorBlink((on) => calls.push(on), 60);
  blink.wake();
  assert.deepEqual(calls, [true]);
  await sleep(120);
  assert.deepEqual(calls, [true, false]);
  blink.wake();
  assert.deepEqual(calls, [true, false, true]);
  blink.dispose();
});

test('typing keeps it blinking, without switching it on again for every key', async () => {
  const calls: boolean[] = [];
  const blink = new CursorBlink((on) => calls.push(on), 80);
  blink.wake();
  for (let i = 0; i < 6; i++) {
    await sleep(25);
    blink.wake();
  }
  assert.deepEqual(calls, [true], 'still blinking 150 ms in, 25 ms after the last key');
  await sleep(150);
  assert.deepEqual(calls, [true, false]);
  blink.dispose();
});

test('dispose: no timer left behind', async () => {
  const calls: boolean[] = [];
  const blink = new CursorBlink((on) => calls.push(on), 30);
  blink.wake();
  blink.dispose();
  await sleep(60);
  assert.deepEqual(calls, [true]);
});
