/**
 * `kubelab`: the lab's own controls inside the cluster shell, the same ones the UI has, so a workshop can script
 * them (`kubelab shell -c 'kubelab node stop worker1'`).
 */
import type { CommandContext } from '../../userland/command.ts';
import type { ClusterCommandDeps, LabControls } from './deps.ts';
import { runTrafficCommand } from '../../traffic/command.ts';
import { lessonCommand } from './lesson.ts';
import { isDNS1123Subdomain } from '../../api/names.ts';

/** What the host lets a shell do to the lab (implemented over the Cluster by the host). */
/** Each group's usage line; `kubelab GROUP --help` prints its own, `kubelab --help` all of them. */
const GROUPS: Record<string, string> = {
  node: 'kubelab node add [NAME] | stop NAME | start NAME | restart NAME | remove NAME',
  pod: 'kubelab pod delete NAME [-n NAMESPACE]',
  clock: 'kubelab clock pause|1x|10x|60x',
  loadbalancer: 'kubelab loadbalancer on|off',
  reset: 'kubelab reset',
  status: 'kubelab status',
  lesson: 'kubelab lesson list|start|status|check|next|previous|step|reset|import|progress|lang ...',
  traffic: 'kubelab traffic svc/NAME|rules|mark ...',
};
const usage = (group?: string) => `Usage:\n${(group ? [GROUPS[group]!] : Object.values(GROUPS)).map((l) => `  ${l}\n`).join('')}`;
const HELP = `The lab's own controls, the same as the UI's buttons.\n\n${usage()}`;

const SPEEDS: Record<string, 0 | 1 | 10 | 60> = { pause: 0, '0': 0, '1x': 1, '1': 1, '10x': 10, '10': 10, '60x': 60, '60': 60 };
const NODE_VERBS = ['add', 'stop', 'start', 'restart', 'remove'];

/** Usage errors exit 2 with the group's usage on stderr, as `kubelab` itself does; failures of the lab exit 1. */
export async function labControls(ctx: CommandContext, deps: ClusterCommandDeps): Promise<number> {
  const c = deps.controls;
  const args = ctx.argv.slice(1);
  const group = args[0] !== undefined && args[0] in GROUPS ? args[0] : undefined;
  const fail = async (msg: string) => (await ctx.stderr.write(`kubelab: ${msg}\n${usage(group)}`), 2);
  if (args[0] === undefined || args[0] === 'help' || args[0] === '--help' || args[0] === '-h') return (await ctx.stdout.write(HELP), 0);
  if (!group) return fail(`unknown command "${args[0]}"`);
  // lesson and traffic parse their own flags (and answer their own --help).
  if (group === 'lesson') return lessonCommand(ctx, c?.lessons, args.slice(1));
  if (group === 'traffic') {
    if (!c?.traffic) return fail('traffic counters are not available in this shell');
    const io = { stdout: (s: string) => ctx.stdout.write(s), stderr: (s: string) => ctx.stderr.write(s) };
    return runTrafficCommand(args.slice(1), io, { queries: c.traffic, registry: deps.cluster.registry });
  }
  if (args.includes('--help') || args.includes('-h')) return (await ctx.stdout.write(usage(group)), 0);
  const rest = args.slice(1);
  let namespace = 'default';
  const words: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (group === 'pod' && (a === '-n' || a === '--namespace')) {
      if (rest[i + 1] === undefined) return fail(`flag needs an argument: '${a.replace(/^-+/, '')}' in ${a}`);
      namespace = rest[++i]!;
    } else if (group === 'pod' && a.startsWith('--namespace=')) namespace = a.slice(12);
    else if (a.startsWith('-') && a !== '-') return fail(`unknown flag: ${a}`);
    else words.push(a);
  }
  if (!c) return fail('lab controls are not available in this shell');
  const [verb, name, ...extra] = words;
  try {
    if (group === 'node') {
      if (!verb || !NODE_VERBS.includes(verb)) return fail(verb ? `unknown node action "${verb}"` : 'node needs an action');
      if (extra.length) return fail(`too many arguments for "node ${verb}"`);
      const invalid = verb === 'add' && name !== undefined ? isDNS1123Subdomain(name)[0] : undefined;
      if (invalid) return (await ctx.stderr.write(`kubelab: Node "${name}" is invalid: metadata.name: Invalid value: "${name}": ${invalid}\n`), 1);
      if (verb === 'add') return (await ctx.stdout.write(`node/${await c.addNode(name)} added\n`), 0);
      if (!name) return fail(`node ${verb} needs a node name`);
      const names = deps.cluster.nodes().map((h) => h.name);
      if (!names.includes(name)) return (await ctx.stderr.write(`kubelab: no node "${name}" (nodes: ${names.join(', ')})\n`), 1);
      if (verb === 'stop') await c.stopNode(name);
      else if (verb === 'start') await c.startNode(name);
      else if (verb === 'restart') await c.stopNode(name).then(() => c.startNode(name));
      else await c.removeNode(name);
      await ctx.stdout.write(`node/${name} ${verb === 'stop' ? 'stopped' : verb === 'remove' ? 'removed' : 'started'}\n`);
      return 0;
    }
    if (group === 'pod') {
      if (verb !== 'delete') return fail(verb ? `unknown pod action "${verb}"` : 'pod needs an action');
      if (!name || extra.length) return fail(name ? 'pod delete takes one pod name' : 'pod delete needs a pod name');
      await c.deletePod(namespace, name);
      await ctx.stdout.write(`pod/${name} deleted\n`);
      return 0;
    }
    if (group === 'clock') {
      if (!verb || !(verb in SPEEDS) || name !== undefined) return fail(verb ? `invalid clock speed "${words.join(' ')}"` : 'clock needs a speed');
      c.setSpeed(SPEEDS[verb]!);
      await ctx.stdout.write(`clock: ${SPEEDS[verb] === 0 ? 'paused' : `${SPEEDS[verb]}x`}\n`);
      return 0;
    }
    if (group === 'loadbalancer') {
      if ((verb !== 'on' && verb !== 'off') || name !== undefined) return fail(verb ? `invalid load-balancer state "${words.join(' ')}"` : 'loadbalancer needs on or off');
      c.setLoadBalancer(verb === 'on');
      await ctx.stdout.write(`load-balancer controller ${verb}\n`);
      return 0;
    }
    if (verb !== undefined) return fail(`"${group}" takes no arguments`);
    if (group === 'reset') return (await c.reset(), await ctx.stdout.write('cluster reset\n'), 0);
    return (await ctx.stdout.write(c.status()), 0);
  } catch (e) {
    await ctx.stderr.write(`kubelab: ${(e as Error).message}\n`);
    return 1;
  }
}

export type { LabControls };
