/**
 * `kubectl edit` as editoptions.go runs it: the objects (one, or a List) as YAML under the header in a temp file,
 * the editor on it, then a patch per changed object. Invalid edits re-open the file with the reasons in its header;
 * a failure leaves the file and says where.
 */
import { KubectlError, ServerError, kindPrefix, resourcePath, type ApiResource } from './api.ts';
import type { Ctx, EditorHost } from './context.ts';
import { namedObjects } from './mutate.ts';
import { forOutput, printObjects } from './output.ts';
import { deepEqual, goJSON, threeWayMergePatch } from './apply/three-way.ts';
import { OpenApi } from './apply/openapi.ts';
import { printJSON } from '../printers/text/json.ts';
import { printYAML } from '../printers/text/yaml.ts';
import { editHeader, editorArgv, editorCommand, hasLines, manualStrip, parseDocuments, stripComments, validateBytes, type EditReason } from './edit-file.ts';

type Obj = Record<string, unknown> & { metadata?: { name?: string; namespace?: string; uid?: string; managedFields?: unknown } };

interface Info {
  r: ApiResource;
  ns: string | undefined;
  o: Obj;
}

interface Results {
  reasons: EditReason[];
  retryable: number;
  notfound: number;
  edit: number;
  file: string;
}

const newResults = (file = ''): Results => ({ reasons: [], retryable: 0, notfound: 0, edit: 0, file });

export async function runEdit(ctx: Ctx): Promise<number> {
  const host = ctx.io.editor;
  if (!host) throw new KubectlError('unable to launch the editor "vi"');
  const infos: Info[] = (await namedObjects(ctx, ctx.args, 'edit')).map((f) => ({ ...f, o: forOutput({ resource: f.r, object: f.o }, false) as Obj }));
  if (infos.length === 0) throw new KubectlError('edit cancelled, no objects found');
  const json = ctx.flags.str('output') === 'json';
  const ext = json ? '.json' : '.yaml';
  const validate = validationDirective(ctx.flags.str('validate')) !== 'Ignore';
  const cmd = editorCommand(ctx.io.env);
  let results = newResults();
  let original = '';
  let edited = '';
  let containsError = false;
  for (;;) {
    const originalObj = infos.length === 1 ? infos[0]!.o : { apiVersion: 'v1', items: infos.map((i) => i.o), kind: 'List', metadata: {} };
    let buf = json ? '' : editHeader(results.reasons);
    if (!containsError) {
      buf += json ? printJSON(originalObj) : printYAML([originalObj]);
      original = buf;
    } else buf += manualStrip(edited);
    const editedDiff = edited;
    let file: string;
    try {
      ({ text: edited, file } = await launchTempFile(ctx, host, cmd, ext, buf));
    } catch (e) {
      return preservedFile(ctx, host, e, results.file);
    }
    if (containsError && stripComments(editedDiff) === stripComments(edited)) {
      return preservedFile(ctx, host, new KubectlError('Edit cancelled, no valid changes were saved.'), file);
    }
    if (results.file) host.remove(results.file);
    if (validate) {
      const invalid = validateBytes(manualStrip(edited));
      if (invalid) {
        results = newResults(file);
        containsError = true;
        ctx.io.stderr(`${addError(results, infos[0]!, new ServerError({ reason: 'Invalid', details: { causes: [{ field: '<nil>', message: `Invalid value: "The edited file failed validation": ${invalid}` }] } }))}\n`);
        continue;
      }
    }
    if (stripComments(original) === stripComments(edited)) {
      host.remove(file);
      ctx.io.stderr('Edit cancelled, no changes made.\n');
      return 0;
    }
    if (!hasLines(edited)) {
      host.remove(file);
      ctx.io.stderr('Edit cancelled, saved file was empty.\n');
      return 0;
    }
    results = newResults(file);
    let updated: Obj[];
    try {
      updated = parseDocuments(edited).flatMap((d) => (isList(d) ? (d.items as Obj[]) : [d as Obj]));
    } catch (e) {
      containsError = true;
      results.reasons.push({ head: `The edited file had a syntax error: error parsing edited-file: error converting YAML to JSON: ${(e as Error).message}`, other: [] });
      continue;
    }
    containsError = false;
    try {
      await visitToPatch(ctx, infos, updated, results);
    } catch (e) {
      return preservedFile(ctx, host, e, results.file);
    }
    if (results.retryable > 0) {
      ctx.io.stderr(`You can run \`kubectl replace -f ${file}\` to try this update again.\n`);
      return 1;
    }
    if (results.notfound > 0) {
      ctx.io.stderr(`The edits you made on deleted resources have been saved to ${JSON.stringify(file)}\n`);
      return 1;
    }
    if (results.edit === 0) {
      host.remove(file);
      return 0;
    }
    if (results.reasons.length > 0) containsError = true;
  }
}

function isList(d: unknown): d is { items: unknown[] } {
  return typeof d === 'object' && d !== null && typeof (d as Obj).kind === 'string' && ((d as Obj).kind as string).endsWith('List') && Array.isArray((d as Obj).items);
}

/** LaunchTempFile: a new `$TMPDIR/kubectl-edit-<random><ext>`, the editor on it, its text afterwards. */
async function launchTempFile(ctx: Ctx, host: EditorHost, cmd: { args: string[]; shell: boolean }, ext: string, text: string): Promise<{ text: string; file: string }> {
  const dir = (ctx.io.env.TMPDIR || '/tmp').replace(/\/+$/, '');
  let file = '';
  for (let i = 0; i < 10_000; i++) {
    file = `${dir}/kubectl-edit-${Math.floor(Math.random() * 2 ** 32)}${ext}`;
    if (host.create(file, text)) break;
  }
  const status = await host.launch(editorArgv(cmd, file));
  const shown = JSON.stringify(cmd.args.join(' '));
  if (status === 127) throw new KubectlError(`unable to launch the editor ${shown}`);
  if (status !== 0) throw new KubectlError(`there was a problem with the editor ${shown}`);
  return { text: await ctx.io.readFile(file), file };
}

function preservedFile(ctx: Ctx, host: EditorHost, err: unknown, file: string): never {
  if (file && host.exists(file)) ctx.io.stderr(`A copy of your changes has been stored to ${JSON.stringify(file)}\n`);
  throw err;
}

function resourceString(r: ApiResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** editResults.addError: records why the object must be edited again (or cannot be), returns the line to print. */
function addError(results: Results, info: Info, err: unknown): string {
  const what = `${resourceString(info.r)} ${JSON.stringify(info.o.metadata?.name ?? '')}`;
  const status = err instanceof ServerError ? err.status : undefined;
  if (status?.reason === 'Invalid') {
    results.edit++;
    results.reasons.push({ head: `${what} was not valid`, other: (status.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`) });
    return `error: ${what} is invalid`;
  }
  if (status?.reason === 'NotFound') {
    results.notfound++;
    return `error: ${what} could not be found on the server`;
  }
  results.retryable++;
  return `error: ${what} could not be patched: ${(err as Error).message}`;
}

/** visitToPatch: each edited object against its original (by uid); unchanged ones are `skipped`. */
async function visitToPatch(ctx: Ctx, originals: Info[], updated: Obj[], results: Results): Promise<void> {
  const openapi = new OpenApi(ctx.api);
  for (const obj of updated) {
    const info = originals.find((i) => i.o.metadata?.uid === obj.metadata?.uid);
    if (!info) throw new KubectlError(`no original object found for ${goJSON(obj)}`);
    const name = info.o.metadata?.name;
    const before = stripManaged(info.o);
    const after = stripManaged(obj);
    if (deepEqual(before, after)) {
      printEdited(ctx, info.r, obj, 'skipped');
      continue;
    }
    if (before.apiVersion !== after.apiVersion || before.kind !== after.kind || before.metadata?.name !== after.metadata?.name) {
      throw new KubectlError('At least one of apiVersion, kind and name was changed');
    }
    const builtin = !info.r.group.includes('.') || info.r.group.endsWith('.k8s.io');
    const patch = builtin ? threeWayMergePatch(before, after, before, await openapi.patchSchema(String(before.apiVersion), String(before.kind))) : mergePatch(before, after);
    if (ctx.flags.bool('output-patch')) ctx.io.stdout(`Patch: ${goJSON(patch)}\n`);
    const query = { fieldManager: ctx.flags.str('field-manager') || 'kubectl-edit', fieldValidation: validationDirective(ctx.flags.str('validate')) };
    let patched: Obj;
    try {
      patched = await ctx.api.call<Obj>('PATCH', resourcePath(info.r, info.ns, name), { query, body: goJSON(patch), contentType: builtin ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json', resource: info.r, name });
    } catch (e) {
      if (!(e instanceof ServerError)) throw e;
      ctx.io.stderr(`${addError(results, info, e)}\n`);
      continue;
    }
    printEdited(ctx, info.r, patched, 'edited');
  }
}

/** The result printer: `deployment.apps/x edited`, or the object itself with -o json|yaml. */
function printEdited(ctx: Ctx, r: ApiResource, obj: Obj, operation: string): void {
  const output = ctx.flags.str('output');
  if (output === 'json' || output === 'yaml') ctx.io.stdout(printObjects(output, [{ resource: r, object: obj }], true));
  else ctx.io.stdout(`${kindPrefix(r)}/${obj.metadata?.name ?? ''} ${operation}\n`);
}

/** cmdutil.GetValidationDirective. */
function validationDirective(v: string): string {
  if (v === 'false' || v === 'ignore') return 'Ignore';
  return v === 'warn' ? 'Warn' : 'Strict';
}

function stripManaged(o: Obj): Obj {
  const copy = structuredClone(o);
  if (copy.metadata) delete copy.metadata.managedFields;
  return copy;
}

/** jsonpatch.CreateMergePatch. */
function mergePatch(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  for (const [k, v] of Object.entries(b)) {
    const old = a[k];
    if (isMap(old) && isMap(v)) {
      const sub = mergePatch(old, v);
      if (Object.keys(sub).length) out[k] = sub;
    } else if (!deepEqual(old, v)) out[k] = v;
  }
  return out;
}
