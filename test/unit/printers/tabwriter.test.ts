/** The tabwriter kubectl prints tables with: cells padded to the widest (in runes), text fed in any pieces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newKubectlTabWriter, tabulate } from '../../../src-main/printers/text/tabwriter.ts';

test('columns are as wide as their widest cell in runes plus padding, minwidth 6', () => {
  const w = newKubectlTabWriter();
  w.write('NAME\tREADY\tSTATUS\na\t1/1\tRunning\nweb-🎉\t0/1\tPending\n');
  assert.equal(w.flush(), 'NAME    READY   STATUS\na       1/1     Running\nweb-🎉   0/1     Pending\n');
  assert.equal(tabulate('x\ty\nlonger\tz', { minwidth: 0, padding: 2 }), 'x       y\nlonger  z');
});

test('text written in any pieces, or line by line as cells, lays out the same', () => {
  const words = ['', 'a', 'pod-1', '서비스', '🎉🎉', 'x\ty', '<none>', 'Running', '\ud800'];
  let x = 9;
  const rand = (n: number) => (x = (x * 48271) % 2147483647) % n;
  for (let round = 0; round < 300; round++) {
    const lines = Array.from({ length: 1 + rand(6) }, () => Array.from({ length: rand(5) }, () => words[rand(words.length)]));
    const text = lines.map((l) => `${l.join('\t')}\n`).join('');
    const whole = newKubectlTabWriter();
    whole.write(text);
    const pieces = newKubectlTabWriter();
    for (let at = 0; at < text.length; ) {
      const n = 1 + rand(8);
      pieces.write(text.slice(at, at + n));
      at += n;
    }
    const byLine = newKubectlTabWriter();
    for (const l of lines) byLine.writeLine(l);
    const want = whole.flush();
    assert.equal(pieces.flush(), want, JSON.stringify(lines));
    assert.equal(byLine.flush(), want, JSON.stringify(lines));
  }
});

test('an unterminated last line is flushed as a line of its own, without a newline', () => {
  const w = newKubectlTabWriter();
  w.write('a\tb\nccc\td');
  assert.equal(w.flush(), 'a     b\nccc   d');
});
