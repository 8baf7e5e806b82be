/** `-o custom-columns=HEADER:.path,...` (kubectl cmd/get/customcolumn.go), laid out by kubectl's tab writer. */
import { goJSONCompact } from './json.ts';
import { jsonPathValues, relaxedJSONPathExpression } from './jsonpath.ts';
import { newKubectlTabWriter } from './tabwriter.ts';

export interface CustomColumn {
  header: string;
  path: string;
}

export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec.length === 0) throw new Error('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new Error(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: relaxedJSONPathExpression(part.slice(colon + 1)) };
  });
}

/** fmt.Sprint of a JSON value: maps as `map[k:v]`, lists as `[a b]`. */
function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[' + v.map(goSprint).join(' ') + ']';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return 'map[' + Object.keys(o).sort().map((k) => `${k}:${goSprint(o[k])}`).join(' ') + ']';
  }
  return String(v);
}

export function printCustomColumns(columns: CustomColumn[], objects: unknown[], noHeaders = false): string {
  const w = newKubectlTabWriter();
  if (!noHeaders) w.write(columns.map((c) => c.header).join('\t') + '\n');
  for (const obj of objects) {
    const cells = columns.map((c) => {
      const values = jsonPathValues(c.path, obj);
      if (values.length === 0) return '<none>';
      return values.map(goSprint).join(',');
    });
    w.write(cells.join('\t') + '\n');
  }
  return w.flush();
}

export { goJSONCompact };
