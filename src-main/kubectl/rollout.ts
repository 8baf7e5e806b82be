/** `rollout status|history|undo|restart` for Deployments (revisions are the owned ReplicaSets). */
import { KubectlError, kindPrefix, resourcePath } from './api.ts';
import type { Ctx } from './context.ts';
import { namedObjects, patchObject } from './mutate.ts';
import { goJSON } from './apply/three-way.ts';
import { tabulate } from '../printers/text/tabwriter.ts';

type RS = { metadata: { name: string; uid?: string; annotations?: Record<string, string>; ownerReferences?: { uid: string; controller?: boolean }[] }; spec?: { template?: Record<string, unknown> } };
type Deploy = { metadata: { name: string; uid?: string; generation?: number }; spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> }; template?: Record<string, unknown> }; status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: { type: string; reason?: string }[] } };

const REVISION = 'deployment.kubernetes.io/revision';

async function ownedReplicaSets(ctx: Ctx, d: Deploy, ns: string | undefined): Promise<RS[]> {
  const r = await ctx.api.resolve('replicasets.apps');
  const sel = Object.entries(d.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const list = await ctx.api.call<{ items?: RS[] }>('GET', resourcePath(r, ns), { query: { labelSelector: sel }, resource: r });
  return (list.items ?? []).filter((rs) => (rs.metadata.ownerReferences ?? []).some((o) => o.controller && o.uid === d.metadata.uid));
}

export async function runRolloutHistory(ctx: Ctx): Promise<number> {
  for (const f of await namedObjects(ctx, ctx.args, 'history')) {
    const rss = await ownedReplicaSets(ctx, f.o as unknown as Deploy, f.ns);
    const revs = rss.map((rs) => ({ rev: Number(rs.metadata.annotations?.[REVISION] ?? 0), cause: rs.metadata.annotations?.['kubernetes.io/change-cause'] ?? '<none>' })).filter((x) => x.rev > 0).sort((a, b) => a.rev - b.rev);
    let out = `${kindPrefix(f.r)}/${f.o.metadata?.name} \n`;
    if (revs.length === 0) out += 'No rollout history found.\n';
    else out += tabulate(`REVISION\tCHANGE-CAUSE\n${revs.map((r) => `${r.rev}\t${r.cause}\n`).join('')}`, { minwidth: 0, tabwidth: 0, padding: 2, padchar: ' ', flags: 0 } as never) + '\n';
    ctx.io.stdout(out);
  }
  return 0;
}

export async function runRolloutRestart(ctx: Ctx): Promise<number> {
  for (const f of await namedObjects(ctx, ctx.args, 'restart')) {
    const at = new Date(ctx.io.now?.() ?? Date.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    await patchObject(ctx, f, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } }, 'strategic', 'kubectl-rollout');
    ctx.io.stdout(`${kindPrefix(f.r)}/${f.o.metadata?.name} restarted\n`);
  }
  return 0;
}

export async function runRolloutUndo(ctx: Ctx): Promise<number> {
  for (const f of await namedObjects(ctx, ctx.args, 'undo')) {
    const d = f.o as unknown as Deploy;
    const rss = await ownedReplicaSets(ctx, d, f.ns);
    const byRev = rss.map((rs) => ({ rev: Number(rs.metadata.annotations?.[REVISION] ?? 0), rs })).sort((a, b) => b.rev - a.rev);
    const want = ctx.flags.int('to-revision');
    const target = want > 0 ? byRev.find((x) => x.rev === want) : byRev[1];
    if (!target) throw new KubectlError(want > 0 ? `unable to find specified revision ${want} in history` : 'no rollout history found for deployment "' + d.metadata.name + '"');
    const template = structuredClone(target.rs.spec?.template ?? {}) as { metadata?: { labels?: Record<string, string> } };
    delete template.metadata?.labels?.['pod-template-hash'];
    if (goJSON(template) === goJSON(d.spec?.template)) {
      ctx.io.stdout(`${kindPrefix(f.r)}/${d.metadata.name} skipped rollback (current template already matches revision ${target.rev})\n`);
      continue;
    }
    await ctx.api.call('PATCH', resourcePath(f.r, f.ns, d.metadata.name), { body: goJSON([{ op: 'replace', path: '/spec/template', value: template }]), contentType: 'application/json-patch+json', resource: f.r, name: d.metadata.name });
    ctx.io.stdout(`${kindPrefix(f.r)}/${d.metadata.name} rolled back\n`);
  }
  return 0;
}

/** The deployment status viewer's messages (kubectl/pkg/polymorphichelpers/rollout_status.go). */
export function deploymentStatus(d: Deploy): { message: string; done: boolean } {
  const name = d.metadata.name;
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return { message: `Waiting for deployment spec update to be observed...\n`, done: false };
  if (s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) throw new KubectlError(`deployment "${name}" exceeded its progress deadline`);
  const want = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  if (updated < want) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false };
  if ((s.replicas ?? 0) > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
  if ((s.availableReplicas ?? 0) < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
  return { message: `deployment "${name}" successfully rolled out\n`, done: true };
}

export async function runRolloutStatus(ctx: Ctx): Promise<number> {
  const timeout = ctx.flags.duration('timeout');
  const started = Date.now();
  for (const f of await namedObjects(ctx, ctx.args, 'status')) {
    let last = '';
    for (;;) {
      const d = await ctx.api.call<Deploy>('GET', resourcePath(f.r, f.ns, f.o.metadata?.name), { resource: f.r });
      const { message, done } = deploymentStatus(d);
      if (message !== last) ctx.io.stdout(message);
      last = message;
      if (done || !ctx.flags.bool('watch')) break;
      if (timeout > 0 && Date.now() - started > timeout) throw new KubectlError('timed out waiting for the condition');
      if (ctx.io.signal?.aborted) return 130;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return 0;
}
