/**
 * The API server's view of running containers (pods/log, pods/exec, pods/portforward), answered by the node worker
 * that runs the pod.
 */
import { Duplex, Readable } from 'node:stream';
import { byKind } from '../api/resources.ts';
import { errors } from '../api/errors.ts';
import type { Pod } from '../api/types.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { ExecStreams, LogOptions, PodRuntime } from '../apiserver/pod-runtime.ts';
import { parseHttpRequests, serializeHttpResponse } from './http-bytes.ts';
import { execInPod, type PodSessions } from './terminals/pod-exec.ts';

function podNode(cluster: Cluster, ns: string, name: string): { pod: Pod; node: ReturnType<Cluster['node']> } {
  const pod = cluster.registry.get(byKind('Pod'), ns, name) as unknown as Pod;
  const nodeName = pod.spec?.nodeName;
  const node = nodeName ? cluster.nodes().find((h) => h.name === nodeName && h.running) : undefined;
  if (!node) throw errors.badRequest(`pod ${name} does not have a host assigned`);
  return { pod, node };
}

const LOG_POLL_MS = 500;

/**
 * `sessions` (the terminals, once they exist) run an exec the way a shell in the container would; without them the
 * node's container runs argv itself.
 */
export function clusterPodRuntime(cluster: Cluster, sessions?: () => PodSessions | undefined): PodRuntime {
  return {
    async logs(ns, name, opts: LogOptions) {
      const { node } = podNode(cluster, ns, name);
      const read = (tail?: number) => node.call('logs', ns, name, opts.container, { tailLines: tail, previous: opts.previous, timestamps: opts.timestamps, limitBytes: opts.limitBytes });
      const first = await read(opts.tailLines);
      if (!opts.follow) return Readable.from([first]);
      // Follow by polling the node for what was appended since (the log buffer lives in the worker).
      let sent = (await read()).length;
      const stream = new Readable({ read() {} });
      stream.push(first);
      const timer = setInterval(async () => {
        try {
          const all = await read();
          if (all.length > sent) stream.push(all.slice(sent));
          sent = all.length;
        } catch {
          clearInterval(timer);
          stream.push(null);
        }
      }, LOG_POLL_MS);
      stream.on('close', () => clearInterval(timer));
      return stream;
    },

    async exec(ns, name, container, argv, streams: ExecStreams) {
      const { node } = podNode(cluster, ns, name);
      const lab = sessions?.();
      if (lab) {
        const write = (w: ExecStreams['stdout']) => (text: string) => void w?.write(text);
        return execInPod(lab, { kind: 'pod', namespace: ns, name, container }, argv, {
          stdin: streams.stdin, stdout: write(streams.stdout), stderr: write(streams.tty ? streams.stdout : streams.stderr), tty: !!streams.tty, resize: streams.resize,
        });
      }
      let stdin: string | undefined;
      if (streams.stdin) {
        const chunks: Buffer[] = [];
        for await (const c of streams.stdin) chunks.push(Buffer.from(c));
        stdin = Buffer.concat(chunks).toString('utf8');
      }
      const r = await node.call('exec', ns, name, container, argv, stdin);
      streams.stdout?.write(r.stdout);
      (streams.tty ? streams.stdout : streams.stderr)?.write(r.stderr);
      return r.code;
    },

    portForward(ns, name, port) {
      let buffered: Buffer = Buffer.alloc(0);
      const duplex: Duplex = new Duplex({
        read() {},
        write(chunk: Buffer, _enc, done) {
          buffered = Buffer.concat([buffered, chunk]);
          const { requests, rest } = parseHttpRequests(buffered);
          buffered = rest;
          void (async () => {
            for (const request of requests) {
              const pod = cluster.registry.tryGet(byKind('Pod'), ns, name) as unknown as Pod | undefined;
              const ip = pod?.status?.podIP;
              if (!ip || !pod.spec?.nodeName) return duplex.destroy(new Error('pod is not running'));
              const r = await cluster.network.connect({ node: pod.spec.nodeName }, { dst: { ip, port }, proto: 'tcp', payload: { kind: 'http', request } });
              if (!r.ok || r.response.kind !== 'http') return duplex.destroy(new Error(`connection to ${ip}:${port} failed: ${r.ok ? 'no response' : r.error}`));
              duplex.push(serializeHttpResponse(r.response.response));
            }
          })().then(() => done(), done);
        },
        final(done) {
          duplex.push(null);
          done();
        },
      });
      return duplex;
    },
  };
}
