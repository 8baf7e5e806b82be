import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { MeshLink, sameAnswer, sameData } from '../../../src-main/node/netstack/mesh.ts';
import type { Delivery, DeliveryResult } from '../../../src-main/node/netstack/types.ts';

const http = (body: string, pod = 'web-1'): DeliveryResult => ({
  ok: true,
  response: { kind: 'http', response: { status: 200, reason: 'OK', headers: [['Content-Length', String(body.length)]], body } },
  pod: { namespace: 'default', name: pod },
});

/** Two ends of one mesh link; `answer` is what the far end answers each delivery with. */
function pair(answer: (d: Delivery) => DeliveryResult) {
  const ch = new MessageChannel();
  const got = new Map<number, DeliveryResult>();
  const delivered: Delivery[] = [];
  let flushes: MeshLink[] = [];
  const schedule = (l: MeshLink) => flushes.push(l);
  const a = new MeshLink({ name: 'worker2', ip: '192.168.56.12', podCIDR: '10.244.2.0/24' }, ch.port1, 'master', schedule, {
    deliver: () => assert.fail('master gets no deliveries'),
    delivered: (_l, id, r) => got.set(id, r),
  });
  let posts = 0;
  ch.port2.on('message', () => posts++);
  const b = new MeshLink({ name: 'master', ip: '192.168.56.10', podCIDR: '10.244.0.0/24' }, ch.port2, 'worker2', schedule, {
    deliver: (l, id, d) => (delivered.push(d), l.delivered(id, answer(d))),
    delivered: () => assert.fail('no answers to worker2'),
  });
  /** Sends the deliveries from master (one turn), flushes what each end queued, and returns the answers in id order. */
  const exchange = async (ds: Delivery[]) => {
    got.clear();
    ds.forEach((d, i) => a.deliver(i, d));
    for (let waited = 0; got.size < ds.length; waited++) {
      assert.ok(waited < 5000, `${got.size} of ${ds.length} answers`);
      const ls = flushes;
      flushes = [];
      for (const l of ls) l.flush();
      await new Promise((r) => setTimeout(r, 1));
    }
    return ds.map((_, i) => got.get(i)!);
  };
  return { a, b, delivered, exchange, posts: () => posts, close: () => (a.close(), b.close()) };
}

const delivery = (port: number, body = ''): Delivery => ({
  src: { ip: '10.244.0.0', port },
  dst: { ip: '10.244.2.5', port: 80 },
  proto: 'tcp',
  payload: { kind: 'http', request: { method: 'GET', path: `/${body}`, httpVersion: 'HTTP/1.1', headers: [['Host', '10.96.0.9']], body: '' } },
  entryNode: 'master',
});

test('deliveries arrive as sent, from the entry node at the other end of the link; one post per turn', async () => {
  const p = pair(() => http('hi'));
  try {
    const sent = [delivery(40000), { ...delivery(40001), proto: 'udp' as const }, { ...delivery(40002), proto: 'icmp' as const, payload: { kind: 'icmp' as const } }];
    const answers = await p.exchange(sent);
    assert.deepEqual(p.delivered, sent);
    assert.equal(p.posts(), 1, 'three deliveries queued in one turn left as one message');
    assert.equal(answers.length, 3);
    for (const r of answers) assert.deepEqual(r, http('hi'));
  } finally {
    p.close();
  }
});

test('a repeated answer crosses once: later ones are the same frozen object; a changed one arrives changed', async () => {
  let body = 'page one';
  const sentObjects: DeliveryResult[] = [];
  const p = pair(() => {
    const r = http(body);
    sentObjects.push(r);
    return r;
  });
  try {
    const first = await p.exchange([delivery(1), delivery(2), delivery(3)]);
    assert.equal(first[1], first[0], 'kept copy handed out again');
    assert.ok(Object.isFrozen(first[0]) && Object.isFrozen((first[0] as { response: object }).response));
    assert.deepEqual(first[0], http('page one'));
    // The program changes the object it answered with: what the peer keeps does not change.
    (sentObjects[0] as { response: { response: { body: string } } }).response.response.body = 'mutated';
    const again = await p.exchange([delivery(4)]);
    assert.deepEqual(again[0], http('page one'));
    body = 'page two';
    const changed = await p.exchange([delivery(5), delivery(6)]);
    assert.deepEqual(changed[0], http('page two'));
    assert.equal(changed[1], changed[0]);
  } finally {
    p.close();
  }
});

test('answers of more pods than there are slots, failures and answers without a pod all arrive intact', async () => {
  const p = pair((d) => {
    const n = d.src.port;
    if (n % 7 === 0) return { ok: false, error: 'refused' };
    if (n % 11 === 0) return { ok: true, response: { kind: 'icmp' }, pod: null };
    return http(`pod ${n % 100}`, `web-${n % 100}`);
  });
  try {
    for (let round = 0; round < 3; round++) {
      const ds = Array.from({ length: 300 }, (_, i) => delivery(i + round));
      const answers = await p.exchange(ds);
      answers.forEach((r, i) => {
        const n = i + round;
        const want: DeliveryResult = n % 7 === 0 ? { ok: false, error: 'refused' } : n % 11 === 0 ? { ok: true, response: { kind: 'icmp' }, pod: null } : http(`pod ${n % 100}`, `web-${n % 100}`);
        assert.deepEqual(r, want, `connection ${n}`);
      });
    }
  } finally {
    p.close();
  }
});

test('sameData: plain data equality', () => {
  assert.ok(sameData({ a: [1, 'x', { b: null }] }, { a: [1, 'x', { b: null }] }));
  assert.ok(!sameData({ a: [1, 'x'] }, { a: [1, 'y'] }));
  assert.ok(!sameData({ a: 1 }, { a: 1, b: undefined }));
  assert.ok(!sameData([1], { 0: 1 }));
  assert.ok(!sameData({ a: 1, b: 2 }, { a: 1, c: 2 }));
});

test('a large answer is never kept: it crosses in full every time', async () => {
  const big = 'x'.repeat(20_000);
  const p = pair(() => http(big));
  try {
    const answers = await p.exchange([delivery(1), delivery(2)]);
    assert.deepEqual(answers[0], http(big));
    assert.deepEqual(answers[1], http(big));
    assert.notEqual(answers[1], answers[0], 'two copies, none kept');
    assert.ok(!Object.isFrozen(answers[0]));
  } finally {
    p.close();
  }
});

test('sameAnswer: an HTTP answer equals only one with the same status, reason, headers, body, pod and no other fields', () => {
  assert.ok(sameAnswer(http('a'), http('a')));
  assert.ok(!sameAnswer(http('a'), http('b')));
  assert.ok(!sameAnswer(http('a'), http('a', 'web-2')));
  const h = http('a') as unknown as { response: { response: { headers: Array<[string, string]> } } };
  h.response.response.headers = [['Content-Length', '2']];
  assert.ok(!sameAnswer(http('a'), h as unknown as DeliveryResult));
  const extra = http('a');
  (extra as unknown as { response: { response: Record<string, unknown> } }).response.response.trailer = 'x';
  assert.ok(!sameAnswer(http('a'), extra));
  assert.ok(!sameAnswer(extra, http('a')));
  assert.ok(sameAnswer({ ok: false, error: 'refused' }, { ok: false, error: 'refused' }));
  assert.ok(!sameAnswer({ ok: false, error: 'refused' }, { ok: false, error: 'timeout' }));
});
