/** go-wordwrap's WrapString as kubectl explain uses it (breaks at spaces, keeps line breaks, never splits words). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wrapString } from '../../../src-main/kubectl/explain.ts';

test('wraps at the last space that fits and drops the space at the break', () => {
  assert.equal(wrapString('aaa bbb ccc', 7), 'aaa bbb\nccc');
  assert.equal(wrapString('aaa bbb ccc', 8), 'aaa bbb\nccc');
});

test('keeps existing line breaks and blank lines', () => {
  assert.equal(wrapString('one two\n\nthree four', 9), 'one two\n\nthree\nfour');
});

test('a word longer than the limit stays whole on its own line', () => {
  assert.equal(wrapString('see https://example.com/a/very/long/url here', 10), 'see\nhttps://example.com/a/very/long/url\nhere');
});
