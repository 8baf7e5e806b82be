/** `version`, `api-resources`, `cluster-info`, `config view`. */
import { stringify } from 'yaml';
import { KubectlError, groupVersion } from './api.ts';
import type { Ctx } from './context.ts';
import { printJSON } from '../printers/text/json.ts';
import { tabulate } from '../printers/text/tabwriter.ts';
import { toGoYAML } from '../printers/text/yaml.ts';

export const CLIENT_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.5',
  gitCommit: '9894294ef13a5b32803e3ca2c0d620a088cc84d1',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T09:12:10Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};
const KUSTOMIZE = 'v5.5.0';

function goJSONIndent2(v: unknown): string {
  return printJSON(v).replace(/^( {4})+/gm, (m) => ' '.repeat(m.length / 2));
}

export async function runVersion(ctx: Ctx): Promise<number> {
  const output = ctx.flags.str('output');
  if (output && output !== 'json' && output !== 'yaml') throw new KubectlError(`--output must be 'yaml' or 'json'`);
  const result: Record<string, unknown> = { clientVersion: CLIENT_VERSION, kustomizeVersion: KUSTOMIZE };
  if (!ctx.flags.bool('client')) result.serverVersion = await ctx.api.call('GET', '/version', { query: { timeout: '32s' } });
  if (output === 'json') {
    // kubectl marshals the struct (field order as declared) with two-space indentation.
    ctx.io.stdout(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  if (output === 'yaml') {
    ctx.io.stdout(stringify(result));
    return 0;
  }
  let out = `Client Version: ${CLIENT_VERSION.gitVersion}\nKustomize Version: ${KUSTOMIZE}\n`;
  const server = result.serverVersion as { gitVersion?: string } | undefined;
  if (server) out += `Server Version: ${server.gitVersion}\n`;
  ctx.io.stdout(out);
  return 0;
}
void goJSONIndent2;

export async function runApiResources(ctx: Ctx): Promise<number> {
  const all = [...(await ctx.api.discover({ fresh: true }))];
  const f = ctx.flags;
  let rows = all.filter((r) => r.verbs.length > 0);
  if (f.has('namespaced')) rows = rows.filter((r) => r.namespaced === f.bool('namespaced'));
  if (f.str('api-group') || f.has('api-group')) rows = rows.filter((r) => r.group === f.str('api-group'));
  for (const v of f.list('verbs')) rows = rows.filter((r) => r.verbs.includes(v));
  rows.sort((a, b) => (a.group !== b.group ? (a.group < b.group ? -1 : 1) : a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  const output = f.str('output');
  if (output === 'name') {
    ctx.io.stdout(rows.map((r) => (r.group ? `${r.resource}.${r.group}` : r.resource) + '\n').join(''));
    return 0;
  }
  const wide = output === 'wide';
  let text = f.bool('no-headers') ? '' : `NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND${wide ? '\tVERBS\tCATEGORIES' : ''}\n`;
  for (const r of rows) {
    text += `${r.resource}\t${r.shortNames.join(',')}\t${groupVersion(r)}\t${r.namespaced}\t${r.kind}`;
    if (wide) text += `\t${r.verbs.length ? `[${r.verbs.join(' ')}]` : ''}\t${r.categories.join(',')}`;
    text += '\n';
  }
  ctx.io.stdout(tabulate(text, { minwidth: 0, tabwidth: 8, padding: 3, padchar: ' ', flags: 0 } as never));
  return 0;
}

export async function runClusterInfo(ctx: Ctx): Promise<number> {
  if (ctx.args.length > 0) throw new KubectlError(`unknown command "${ctx.args[0]}"\nSee 'kubectl cluster-info -h' for help and examples`);
  await ctx.api.discover();
  const server = ctx.api.client.baseUrl ?? ctx.kubeconfig.server ?? '';
  ctx.io.stdout(`\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33m${server}\x1b[0m\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`.replace(/\x1b\[[0-9;]*m/g, ctx.io.terminal ? '$&' : ''));
  return 0;
}

function redact(doc: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(doc);
  for (const c of (out.clusters ?? []) as { cluster?: Record<string, unknown> }[]) if (c.cluster?.['certificate-authority-data']) c.cluster['certificate-authority-data'] = 'DATA+OMITTED';
  for (const u of (out.users ?? []) as { user?: Record<string, unknown> }[]) {
    if (!u.user) continue;
    if (u.user.token) u.user.token = 'REDACTED';
    for (const k of ['client-certificate-data', 'client-key-data']) if (u.user[k]) u.user[k] = 'DATA+OMITTED';
  }
  return out;
}

export async function runConfigView(ctx: Ctx): Promise<number> {
  const doc = ctx.kubeconfig.doc ?? { apiVersion: 'v1', clusters: null, contexts: null, 'current-context': '', kind: 'Config', preferences: {}, users: null };
  let view: Record<string, unknown> = { apiVersion: 'v1', kind: 'Config', preferences: {}, ...doc };
  view.clusters ??= null;
  view.contexts ??= null;
  view.users ??= null;
  view['current-context'] ??= '';
  if (ctx.flags.bool('minify')) {
    const cur = view['current-context'] as string;
    const context = ((view.contexts ?? []) as { name: string; context: { cluster?: string; user?: string } }[]).filter((c) => c.name === cur);
    view = { ...view, contexts: context, clusters: ((view.clusters ?? []) as { name: string }[]).filter((c) => c.name === context[0]?.context.cluster), users: ((view.users ?? []) as { name: string }[]).filter((u) => u.name === context[0]?.context.user) };
  }
  if (!ctx.flags.bool('raw')) view = redact(view);
  const output = ctx.flags.str('output') || 'yaml';
  if (output === 'json') ctx.io.stdout(printJSON(view));
  else if (output === 'yaml') ctx.io.stdout(toGoYAML(view));
  else throw new KubectlError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`);
  return 0;
}
