/**
 * The host side of the UI contract, written once: both transports (Electron IPC, WebSocket) dispatch into it.
 */
import type { CommandResult } from '../contract/command-result.ts';
import type { EventName, Events, HostService, Params, RequestName, ResultOf } from '../contract/contract.ts';
import { lookupResource, byKind } from '../api/resources.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { ClusterSnapshot } from '../contract/views.ts';
import { buildSnapshot } from './snapshot.ts';
import { trafficStream } from './traffic-stream.ts';
import type { LabControls } from '../shell/commands/index.ts';
import { lessonHandlers } from '../lessons/contract-handlers.ts';
import { serviceRuleLines } from './service-rules.ts';

/** Terminal sessions, implemented by host/terminals. */
export interface TerminalHost {
  open(p: Params<'terminal.open'>): Promise<ResultOf<'terminal.open'>>;
  input(id: string, data: string): void;
  resize(id: string, cols: number, rows: number): void;
  close(id: string): void;
  ack(id: string, bytes: number): void;
  onData(l: (e: Events['terminal.data']) => void): () => void;
  onExit(l: (e: Events['terminal.exit']) => void): () => void;
}

export interface HostServiceDeps {
  cluster: Cluster;
  apiServer: ClusterSnapshot['apiServer'];
  terminals?: TerminalHost;
  /** Runs the built-in kubectl and returns stdout (describe, yaml, tables for the inspector). */
  kubectl: (argv: string[]) => Promise<CommandResult>;
  loadBalancer: { enabled: boolean; setEnabled(on: boolean): void };
  controls: LabControls;
}

type Handlers = { [N in RequestName]: (p: Params<N>) => Promise<ResultOf<N>> | ResultOf<N> };

const SNAPSHOT_THROTTLE_MS = 100;

export function createHostService(deps: HostServiceDeps): HostService & { close(): void } {
  const { cluster, controls } = deps;
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const emit = <E extends EventName>(e: E, payload: Events[E]) => listeners.get(e)?.forEach((l) => l(payload));
  const snapshot = () => buildSnapshot(cluster, deps.apiServer, deps.loadBalancer.enabled);

  let pending: NodeJS.Timeout | undefined;
  const changed = () => {
    if (pending || !listeners.get('cluster.changed')?.size) return;
    pending = setTimeout(() => {
      pending = undefined;
      emit('cluster.changed', snapshot());
    }, SNAPSHOT_THROTTLE_MS);
  };
  const unhookStore = cluster.store.onCommit((c) => {
    if (c.resource.kind !== 'Lease' && c.resource.kind !== 'Event') changed();
  });
  const traffic = trafficStream(cluster, (f) => emit('traffic.frame', f));
  const unData = deps.terminals?.onData((d) => emit('terminal.data', d));
  const unExit = deps.terminals?.onExit((d) => emit('terminal.exit', d));
  const unLesson = controls.lessons?.onChange((s) => emit('lesson.changed', s));

  const text = async (argv: string[]) => {
    const r = await deps.kubectl(argv);
    if (r.code !== 0) throw new Error(r.stderr.trim() || `kubectl ${argv.join(' ')} failed`);
    return r.stdout;
  };
  const ref = (p: { kind: string; namespace?: string; name: string }) => [p.kind, p.name, ...(p.namespace ? ['-n', p.namespace] : [])];
  const terminals = () => {
    if (!deps.terminals) throw new Error('terminals are not available');
    return deps.terminals;
  };

  const handlers: Handlers = {
    'cluster.snapshot': () => snapshot(),
    'cluster.reset': async () => {
      await controls.reset();
      return null;
    },
    'clock.setSpeed': ({ speed }) => {
      controls.setSpeed(speed);
      changed();
      return null;
    },
    'loadBalancer.setEnabled': ({ enabled }) => {
      controls.setLoadBalancer(enabled);
      changed();
      return null;
    },
    'node.add': async ({ name }) => ({ name: await controls.addNode(name) }),
    'node.stop': async ({ name }) => (await controls.stopNode(name), null),
    'node.start': async ({ name }) => (await controls.startNode(name), null),
    'node.remove': async ({ name }) => (await controls.removeNode(name), null),
    'node.natTable': async ({ name }) => {
      const h = cluster.node(name);
      const [rules, save, ct] = await Promise.all([
        h.call('natRules'),
        h.call('iptablesSave', { table: 'nat' }),
        h.call('conntrack', {}),
      ]);
      return { rules, text: save, conntrack: ct.stdout };
    },
    'service.rules': async ({ namespace, name }) => ({
      namespace,
      name,
      nodes: await Promise.all(
        cluster.nodes().map(async (h) => {
          if (!h.running) return { node: h.name, running: false, rules: [] };
          try {
            const counted = await h.call('ruleCounters');
            return { node: h.name, running: true, rules: serviceRuleLines(counted.rules, namespace, name) };
          } catch (e) {
            return { node: h.name, running: true, rules: [], error: (e as Error).message };
          }
        }),
      ),
    }),
    'pod.delete': async ({ namespace, name }) => (await controls.deletePod(namespace, name), null),
    'object.yaml': (p) => text(['get', ...ref(p), '-o', 'yaml']),
    'object.describe': (p) => text(['describe', ...ref(p)]),
    'resources.list': async ({ kind, namespace }) => {
      const r = lookupResource(kind);
      if (!r) throw new Error(`the server doesn't have a resource type "${kind}"`);
      const out = await text(['get', kind, ...(namespace ? ['-n', namespace] : ['-A'])]);
      const lines = out.split('\n').filter(Boolean);
      const columns = lines[0] ? lines[0].split(/ {2,}/) : [];
      return { columns, rows: lines.slice(1).map((l) => l.split(/ {2,}/)) };
    },
    'trace.get': async ({ id }) => {
      const octet = Math.floor(id / 10_000_000);
      const h = cluster.nodes().find((n) => Number(n.plan.ip.split('.')[3]) === octet);
      return h?.running ? h.call('trace', id) : null;
    },
    'terminal.open': (p) => terminals().open(p),
    'terminal.input': ({ id, data }) => (terminals().input(id, data), null),
    'terminal.resize': ({ id, cols, rows }) => (terminals().resize(id, cols, rows), null),
    'terminal.close': ({ id }) => (terminals().close(id), null),
    'terminal.ack': ({ id, bytes }) => (terminals().ack(id, bytes), null),
    ...lessonHandlers(() => controls.lessons),
  };

  return {
    async handle(name, params) {
      const h = handlers[name] as (p: typeof params) => Promise<ResultOf<typeof name>> | ResultOf<typeof name>;
      if (!h) throw new Error(`unknown request ${String(name)}`);
      return h(params);
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (p: unknown) => void;
      set.add(l);
      if (event === 'traffic.frame') {
        // Frames carry only what changed: a new subscriber first gets every counter (before the next frame, which
        // comes from a timer).
        queueMicrotask(() => {
          const full = traffic.fullFrame();
          if (full && set!.has(l)) l(full);
        });
      }
      return () => set!.delete(l);
    },
    close() {
      unhookStore();
      traffic.stop();
      unData?.();
      unExit?.();
      unLesson?.();
      if (pending) clearTimeout(pending);
    },
  };
}
