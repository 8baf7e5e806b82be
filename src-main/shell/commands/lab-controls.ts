/**
 * `kubelab`: the lab's own controls inside the cluster shell, the same ones the UI has, so a workshop can script
 * them (`kubelab shell -c 'kubelab node stop worker1'`).
 */
import type { CommandContext } from '../command.ts';
import type { ClusterCommandDeps } from './deps.ts';
import type { LessonControls } from '../../lessons/engine.ts';
import type { TrafficQueries } from '../../traffic/tracker.ts';
import { runTrafficCommand } from '../../traffic/command.ts';
import { lessonCommand } from './lesson.ts';

/** What the host lets a shell do to the lab (implemented over the Cluster by the host). */
export interface LabControls {
  addNode(name?: string): Promise<string>;
  stopNode(name: string): Promise<void>;
  startNode(name: string): Promise<void>;
  removeNode(name: string): Promise<void>;
  deletePod(namespace: string, name: string): Promise<void>;
  setSpeed(speed: 0 | 1 | 10 | 60): void;
  reset(): Promise<void>;
  setLoadBalancer(on: boolean): void;
  status(): string;
  /** The lesson engine (`kubelab lesson`), once the host has one. */
  lessons?: LessonControls;
  /** The data path's counters (`kubelab traffic`). */
  traffic?: TrafficQueries;
}

const USAGE = `Usage:
  kubelab node add [NAME] | stop NAME | start NAME | restart NAME | remove NAME
  kubelab pod delete NAME [-n NAMESPACE]
  kubelab clock pause|1x|10x|60x
  kubelab loadbalancer on|off
  kubelab reset
  kubelab status
  kubelab lesson list|start|status|check|next|previous|step|reset|import|progress|lang ...
  kubelab traffic svc/NAME|rules|mark ...
`;

const SPEEDS: Record<string, 0 | 1 | 10 | 60> = { pause: 0, '0': 0, '1x': 1, '1': 1, '10x': 10, '10': 10, '60x': 60, '60': 60 };

export async function labControls(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const c = deps.controls;
  const [, group, verb, ...rest] = ctx.argv;
  const fail = async (msg: string) => (await ctx.stderr.write(`kubelab: ${msg}\n${USAGE}`), 2);
  if (!c) return fail('lab controls are not available in this shell');
  if (!group || group === 'help' || group === '--help') return (await ctx.stdout.write(USAGE), 0);
  if (group === 'lesson') return lessonCommand(ctx, c.lessons, ctx.argv.slice(2));
  if (group === 'traffic') {
    if (!c.traffic) return fail('traffic counters are not available in this shell');
    const io = { stdout: (s: string) => ctx.stdout.write(s), stderr: (s: string) => ctx.stderr.write(s) };
    return runTrafficCommand(ctx.argv.slice(2), io, { queries: c.traffic, registry: deps.cluster.registry });
  }
  try {
    if (group === 'node') {
      const name = rest[0];
      if (verb === 'add') return (await ctx.stdout.write(`node/${await c.addNode(name)} added\n`), 0);
      if (!name) return fail(`node ${verb ?? ''} needs a node name`);
      if (verb === 'stop') await c.stopNode(name);
      else if (verb === 'start') await c.startNode(name);
      else if (verb === 'restart') await c.stopNode(name).then(() => c.startNode(name));
      else if (verb === 'remove') await c.removeNode(name);
      else return fail(`unknown node action "${verb ?? ''}"`);
      await ctx.stdout.write(`node/${name} ${verb === 'stop' ? 'stopped' : verb === 'remove' ? 'removed' : 'started'}\n`);
      return 0;
    }
    if (group === 'pod' && verb === 'delete' && rest[0]) {
      const ns = rest[1] === '-n' && rest[2] ? rest[2] : 'default';
      await c.deletePod(ns, rest[0]);
      await ctx.stdout.write(`pod/${rest[0]} deleted\n`);
      return 0;
    }
    if (group === 'clock' && verb && verb in SPEEDS) {
      c.setSpeed(SPEEDS[verb]);
      await ctx.stdout.write(`clock: ${SPEEDS[verb] === 0 ? 'paused' : `${SPEEDS[verb]}x`}\n`);
      return 0;
    }
    if (group === 'loadbalancer' && (verb === 'on' || verb === 'off')) {
      c.setLoadBalancer(verb === 'on');
      await ctx.stdout.write(`load-balancer controller ${verb}\n`);
      return 0;
    }
    if (group === 'reset') return (await c.reset(), await ctx.stdout.write('cluster reset\n'), 0);
    if (group === 'status') return (await ctx.stdout.write(c.status()), 0);
    return fail(`unknown command "${ctx.argv.slice(1).join(' ')}"`);
  } catch (e) {
    await ctx.stderr.write(`kubelab: ${(e as Error).message}\n`);
    return 1;
  }
}
