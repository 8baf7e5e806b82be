/** kubectl exec into the pod runtime: over WebSocket (v5.channel.k8s.io, kubectl 1.30+) and SPDY/3.1 (v4.channel.k8s.io, 1.27–1.29). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { byKind } from '../../src-main/api/resources.ts';
import type { ExecStreams, PodRuntime } from '../../src-main/apiserver/pod-runtime.ts';
import { startTestCluster } from './kubectl-harness.ts';

interface ExecCall {
  ns: string;
  name: string;
  container: string;
  argv: string[];
  tty: boolean;
  stdin: boolean;
}

function fakeRuntime(calls: ExecCall[]): PodRuntime {
  return {
    logs: () => new PassThrough(),
    portForward: () => new PassThrough(),
    async exec(ns, name, container, argv, s: ExecStreams) {
      calls.push({ ns, name, container, argv, tty: s.tty ?? false, stdin: s.stdin !== undefined });
      if (argv[0] === 'cat' && s.stdin) {
        for await (const chunk of s.stdin) s.stdout?.write(chunk);
        return 0;
      }
      if (argv[0] === 'fail') {
        s.stderr?.write('boom\n');
        return 3;
      }
      s.stdout?.write(`${argv.join(' ')}\n`);
      return 0;
    },
  };
}

for (const version of ['1.27', '1.29', '1.31', '1.32', '1.33']) {
  const transport = Number(version.split('.')[1]) >= 30 ? 'WebSocket' : 'SPDY';
  test(`kubectl ${version}: exec runs in the pod runtime over ${transport}`, { timeout: 120_000 }, async () => {
    const calls: ExecCall[] = [];
    const c = await startTestCluster(version, { podRuntime: fakeRuntime(calls) });
    try {
      c.registry.create(byKind('Pod'), 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
      const ls = await c.kubectl(['exec', 'web', '--', 'ls', '/']);
      assert.deepEqual([ls.stdout, ls.stderr, ls.code], ['ls /\n', '', 0]);
      assert.deepEqual(calls[0], { ns: 'default', name: 'web', container: 'app', argv: ['ls', '/'], tty: false, stdin: false });
      const cat = await c.kubectl(['exec', '-i', 'web', '--', 'cat'], { input: 'hello\nworld\n' });
      assert.deepEqual([cat.stdout, cat.code], ['hello\nworld\n', 0]);
      const fail = await c.kubectl(['exec', 'web', '--', 'fail']);
      assert.deepEqual([fail.stdout, fail.stderr, fail.code], ['', 'boom\ncommand terminated with exit code 3\n', 3]);
      const missing = await c.kubectl(['exec', 'nope', '--', 'ls']);
      assert.deepEqual([missing.stderr, missing.code], ['Error from server (NotFound): pods "nope" not found\n', 1]);
    } finally {
      await c.close();
    }
  });
}
