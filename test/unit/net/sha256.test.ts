import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { sha256, sha256Hex } from '../../../src-main/net/sha256.ts';

test('sha256 matches node:crypto on the FIPS vectors and on every length across block boundaries', () => {
  assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  for (let n = 0; n < 300; n++) {
    const bytes = new Uint8Array(randomBytes(n));
    assert.deepEqual(Buffer.from(sha256(bytes)), createHash('sha256').update(bytes).digest(), `length ${n}`);
  }
  const text = 'default/kube-dns:dns-tcpTCP é ü 日本';
  assert.equal(sha256Hex(text), createHash('sha256').update(text).digest('hex'));
});
