/** `kubectl edit`: the object as YAML through io.editor; changes are sent as a strategic merge patch. */
import { parse as parseYaml } from 'yaml';
import { KubectlError, kindPrefix, resourcePath } from './api.ts';
import type { Ctx } from './context.ts';
import { namedObjects } from './mutate.ts';
import { printObjects } from './output.ts';
import { goJSON, threeWayMergePatch } from './apply/three-way.ts';
import { OpenApi } from './apply/openapi.ts';

export async function runEdit(ctx: Ctx): Promise<number> {
  if (!ctx.io.editor) throw new KubectlError('no editor is available');
  const openapi = new OpenApi(ctx.api);
  for (const f of await namedObjects(ctx, ctx.args, 'edit')) {
    const header = `# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n`;
    const original = printObjects('yaml', [{ resource: f.r, object: f.o }], true);
    const edited = await ctx.io.editor(header + original, `kubectl-edit-${f.o.metadata?.name}.yaml`);
    const body = edited.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    if (body.trim() === '') {
      ctx.io.stdout('Edit cancelled, no changes made.\n');
      continue;
    }
    const before = parseYaml(original) as Record<string, unknown>;
    const after = parseYaml(body) as Record<string, unknown>;
    const schema = await openapi.patchSchema(String(before.apiVersion), String(before.kind));
    const patch = threeWayMergePatch(before, after, before, schema);
    const name = `${kindPrefix(f.r)}/${f.o.metadata?.name}`;
    if (Object.keys(patch).length === 0) {
      ctx.io.stdout('Edit cancelled, no changes made.\n');
      continue;
    }
    await ctx.api.call('PATCH', resourcePath(f.r, f.ns, f.o.metadata?.name), { query: { fieldManager: 'kubectl-edit' }, body: goJSON(patch), contentType: 'application/strategic-merge-patch+json', resource: f.r, name: f.o.metadata?.name });
    ctx.io.stdout(`${name} edited\n`);
  }
  return 0;
}
