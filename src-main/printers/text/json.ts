/**
 * `-o json` as kubectl prints it: Go's json.MarshalIndent(obj, "", "    ") of an unstructured object, so map keys
 * are sorted, `<`, `>`, `&`, U+2028 and U+2029 are escaped, and empty objects/arrays print as `{}` / `[]`.
 */

function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '<':
      case '>':
      case '&':
        out += '\\u00' + c.toString(16);
        continue;
    }
    if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16);
    else out += ch;
  }
  return out + '"';
}

function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go: strconv 'e' format, with a two-digit exponent minimum ("1e-07").
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}

function encode(v: unknown, indent: string, step: string): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const inner = indent + step;
  const nl = step ? '\n' : '';
  const colon = step ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + nl + v.map((x) => inner + encode(x, inner, step)).join(',' + nl) + nl + indent + ']';
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return '{}';
  return '{' + nl + keys.map((k) => inner + goQuote(k) + colon + encode(obj[k], inner, step)).join(',' + nl) + nl + indent + '}';
}

/** kubectl's JSONPrinter: 4-space indent and a trailing newline. */
export function printJSON(obj: unknown): string {
  return encode(obj, '', '    ') + '\n';
}

/** Go's json.Marshal: compact, sorted keys (used by jsonpath and custom-columns for maps and lists). */
export function goJSONCompact(obj: unknown): string {
  return encode(obj, '', '');
}

/**
 * What `kubectl get` with -o json|yaml|jsonpath prints for a request: a single named object as itself, anything
 * else (a list, several names, several kinds) wrapped as `kind: List` with an empty resourceVersion.
 */
export function listForOutput(items: unknown[], singleItemImplied: boolean): unknown {
  if (singleItemImplied && items.length === 1) return items[0];
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}
