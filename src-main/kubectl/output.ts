/** `-o json|yaml|name|jsonpath=|custom-columns=` for objects, through the shared printers. */
import { KubectlError, kindPrefix, type ApiResource } from './api.ts';
import { printJSON, listForOutput } from '../printers/text/json.ts';
import { printYAML } from '../printers/text/yaml.ts';
import { printJSONPath, JSONPathError } from '../printers/text/jsonpath.ts';
import { parseCustomColumns, printCustomColumns } from '../printers/text/custom-columns.ts';

export const GET_FORMATS = 'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';
export const OBJECT_FORMATS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';

export interface PrintedObject {
  resource: ApiResource;
  object: Record<string, unknown>;
}

/** Unstructured list items carry their kind and apiVersion; managedFields go unless asked for. */
export function forOutput(p: PrintedObject, showManagedFields: boolean): Record<string, unknown> {
  const o = structuredClone(p.object);
  o.apiVersion ??= p.resource.group ? `${p.resource.group}/${p.resource.version}` : p.resource.version;
  o.kind ??= p.resource.kind;
  const meta = o.metadata as Record<string, unknown> | undefined;
  if (meta && !showManagedFields) delete meta.managedFields;
  // Go's encoder writes apiVersion and kind first only because of sorting; key order is irrelevant here.
  return o;
}

export function isObjectFormat(output: string): boolean {
  return /^(json|yaml|name|jsonpath|jsonpath-as-json|custom-columns)(=|$)/.test(output) || output.startsWith('jsonpath=') || output.startsWith('custom-columns=');
}

export function printObjects(output: string, items: PrintedObject[], singleItem: boolean, opts: { showManagedFields?: boolean; noHeaders?: boolean; allowed?: string } = {}): string {
  const objs = items.map((p) => forOutput(p, !!opts.showManagedFields));
  const [format, ...restParts] = output.split('=');
  const arg = restParts.join('=');
  switch (format) {
    case 'json':
      return printJSON(listForOutput(objs, singleItem));
    case 'yaml':
      return printYAML([listForOutput(objs, singleItem)]);
    case 'name':
      return items.map((p) => `${kindPrefix(p.resource)}/${(p.object.metadata as { name?: string })?.name ?? ''}\n`).join('');
    case 'jsonpath':
      if (!arg) throw new KubectlError('template format specified but no template given');
      try {
        return printJSONPath(arg, listForOutput(objs, singleItem));
      } catch (e) {
        if (e instanceof JSONPathError) throw new KubectlError(e.message);
        throw e;
      }
    case 'custom-columns':
      if (!arg) throw new KubectlError('custom-columns format specified but no custom columns given');
      return printCustomColumns(parseCustomColumns(arg), objs, !!opts.noHeaders);
  }
  throw new KubectlError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${opts.allowed ?? OBJECT_FORMATS}`);
}
