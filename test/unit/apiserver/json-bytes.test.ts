/** jsonArrayBytes: the UTF-8 of open + parts joined by commas + close, whatever characters the parts hold and where. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonArrayBytes } from '../../../src-main/apiserver/json-bytes.ts';

test('any mix of ASCII and other characters, at any place, gives the bytes of the joined text', () => {
  const odd = ['é', '서', '🎉', '\ud800', '\udc00', 'ÿ', '\u0080', '\u07ff', '\u0800'];
  let x = 5;
  const rand = (n: number) => (x = (x * 48271) % 2147483647) % n;
  const word = () => {
    let w = '';
    for (let i = rand(6); i > 0; i--) w += rand(4) === 0 ? odd[rand(odd.length)] : 'abc"{}'[rand(6)];
    return w;
  };
  for (let round = 0; round < 3000; round++) {
    const parts = Array.from({ length: rand(5) }, word);
    const open = round % 7 === 0 ? word() : '{"items":[';
    const close = round % 5 === 0 ? word() : ']}';
    const got = jsonArrayBytes(open, parts, close);
    assert.deepEqual(got, Buffer.from(`${open}${parts.join(',')}${close}`), JSON.stringify({ open, parts, close }));
  }
});

test('a part that ends in a wide character right at the end of the ASCII-sized buffer', () => {
  for (const wide of ['é', '서', '🎉', '\ud800']) {
    for (const close of ['', ']', ']}', ']}}', ']}}}']) {
      const parts = ['ab', `cd${wide}`];
      assert.deepEqual(jsonArrayBytes('[', parts, close), Buffer.from(`[${parts.join(',')}${close}`), `${wide} ${close}`);
    }
  }
});
