/** pods/log through the pod runtime: options passed through, text/plain, followed logs streamed; kubectl logs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { byKind } from '../../src-main/api/resources.ts';
import type { LogOptions, PodRuntime } from '../../src-main/apiserver/pod-runtime.ts';
import { startTestCluster } from './kubectl-harness.ts';

function fakeRuntime(calls: Array<{ ns: string; name: string; opts: LogOptions }>, follow: PassThrough): PodRuntime {
  return {
    logs(ns, name, opts) {
      calls.push({ ns, name, opts });
      if (opts.follow) return follow;
      const lines = ['one', 'two', 'three'].slice(-(opts.tailLines ?? 3));
      return Readable.from(lines.map((l) => `${opts.timestamps ? '2026-01-01T12:00:00.000000000Z ' : ''}${l}\n`));
    },
    exec: async () => 0,
    portForward: () => new PassThrough(),
  };
}

for (const version of ['1.27', '1.32', '1.33']) {
  test(`kubectl ${version}: logs, --tail, -c, --timestamps, -f`, { timeout: 120_000 }, async () => {
    const calls: Array<{ ns: string; name: string; opts: LogOptions }> = [];
    const follow = new PassThrough();
    const c = await startTestCluster(version, { podRuntime: fakeRuntime(calls, follow) });
    try {
      c.registry.create(byKind('Pod'), 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web' },
        spec: { containers: [{ name: 'app', image: 'nginx' }, { name: 'side', image: 'busybox' }] },
      });
      const all = await c.kubectl(['logs', 'web', '-c', 'app']);
      assert.deepEqual([all.stdout, all.stderr, all.code], ['one\ntwo\nthree\n', '', 0]);
      const tail = await c.kubectl(['logs', 'web', '-c', 'side', '--tail=1', '--timestamps']);
      assert.equal(tail.stdout, '2026-01-01T12:00:00.000000000Z three\n');
      assert.deepEqual(calls[1], { ns: 'default', name: 'web', opts: { container: 'side', follow: false, tailLines: 1, previous: false, timestamps: true, sinceSeconds: undefined, limitBytes: undefined } });
      // kubectl picks the first container itself; the server's own refusal is covered in apiserver-http.test.ts.
      const defaulted = await c.kubectl(['logs', 'web']);
      assert.deepEqual([defaulted.stdout, defaulted.stderr, defaulted.code], ['one\ntwo\nthree\n', 'Defaulted container "app" out of: app, side\n', 0]);

      const followed = c.kubectl(['logs', '-f', 'web', '-c', 'app']);
      const deadline = Date.now() + 5000;
      while (!calls.some((x) => x.opts.follow) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      follow.write('live 1\n');
      await new Promise((r) => setTimeout(r, 100));
      follow.write('live 2\n');
      follow.end();
      const f = await followed;
      assert.deepEqual([f.stdout, f.code], ['live 1\nlive 2\n', 0]);
      const logReq = c.requests.find((r) => r.url.includes('/log?') && r.url.includes('follow=true'))!;
      assert.equal(logReq.status, 200);
    } finally {
      await c.close();
    }
  });
}
