/**
 * kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath): text with `{...}` actions; fields `.a.b`, `['a.b']`,
 * escaped dots `a\.b`, `[*]`, `..`, indexes and slices `[0]`, `[-1]`, `[1:3]`, unions `[a,b]`, filters
 * `[?(@.x=="y")]`, `{range ...}{end}`, quoted literals `{"\n"}`. Results print space-separated; maps and lists
 * as compact JSON. Missing keys print nothing (kubectl's --allow-missing-template-keys=true default).
 */
import { goJSONCompact } from './json.ts';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'path'; steps: Step[] }
  | { kind: 'range'; steps: Step[]; body: Node[] };

type Step =
  | { kind: 'field'; names: string[] }
  | { kind: 'wildcard' }
  | { kind: 'recursive' }
  | { kind: 'index'; start?: number; end?: number; single: boolean }
  | { kind: 'filter'; left: Step[]; op?: string; right?: Step[] | string | number };

export class JSONPathError extends Error {}

function splitActions(template: string): { text?: string; action?: string }[] {
  const parts: { text?: string; action?: string }[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      parts.push({ text: template.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: template.slice(i, open) });
    let depth = 0;
    let j = open;
    let quote = '';
    for (; j < template.length; j++) {
      const c = template[j];
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    if (j >= template.length) throw new JSONPathError(`unclosed action`);
    parts.push({ action: template.slice(open + 1, j).trim() });
    i = j + 1;
  }
  return parts;
}

function parseLiteral(s: string): string | number | undefined {
  if (/^".*"$/s.test(s)) return JSON.parse(s.replace(/\\'/g, "'")) as string;
  if (/^'.*'$/s.test(s)) return s.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return undefined;
}

function parseSteps(expr: string): Step[] {
  let s = expr.trim();
  if (s.startsWith('$')) s = s.slice(1);
  else if (s.startsWith('@')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('..', i)) {
      steps.push({ kind: 'recursive' });
      i += 2;
      continue;
    }
    const c = s[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      let depth = 0;
      let j = i;
      let quote = '';
      for (; j < s.length; j++) {
        const d = s[j];
        if (quote) {
          if (d === quote) quote = '';
        } else if (d === '"' || d === "'") quote = d;
        else if (d === '[') depth++;
        else if (d === ']' && --depth === 0) break;
      }
      if (j >= s.length) throw new JSONPathError(`unterminated array`);
      const inner = s.slice(i + 1, j).trim();
      i = j + 1;
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (inner.startsWith('?(') && inner.endsWith(')')) {
        const body = inner.slice(2, -1).trim();
        const m = body.match(/^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/s);
        if (!m) steps.push({ kind: 'filter', left: parseSteps(body) });
        else {
          const lit = parseLiteral(m[3].trim());
          steps.push({ kind: 'filter', left: parseSteps(m[1]), op: m[2], right: lit !== undefined ? lit : parseSteps(m[3]) });
        }
      } else if (/^-?\d*(:-?\d*){0,2}$/.test(inner) && inner !== '') {
        const [a, b] = inner.split(':');
        if (!inner.includes(':')) steps.push({ kind: 'index', start: Number(a), single: true });
        else steps.push({ kind: 'index', start: a === '' ? undefined : Number(a), end: b === '' || b === undefined ? undefined : Number(b), single: false });
      } else {
        const names = inner.split(',').map((n) => {
          const lit = parseLiteral(n.trim());
          return typeof lit === 'string' ? lit : n.trim();
        });
        steps.push({ kind: 'field', names });
      }
      continue;
    }
    if (c === '*') {
      steps.push({ kind: 'wildcard' });
      i++;
      continue;
    }
    let name = '';
    while (i < s.length && s[i] !== '.' && s[i] !== '[') {
      if (s[i] === '\\' && i + 1 < s.length) {
        name += s[i + 1];
        i += 2;
      } else name += s[i++];
    }
    steps.push({ kind: 'field', names: [name] });
  }
  return steps;
}

function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  for (const p of splitActions(template)) {
    const cur = stack[stack.length - 1];
    if (p.text !== undefined) {
      cur.push({ kind: 'text', text: p.text });
      continue;
    }
    const a = p.action!;
    if (a === 'end') {
      if (stack.length === 1) throw new JSONPathError('not in range, nothing to end');
      stack.pop();
    } else if (a.startsWith('range ')) {
      const node: Node = { kind: 'range', steps: parseSteps(a.slice(6)), body: [] };
      cur.push(node);
      stack.push(node.body);
    } else {
      const lit = /^["']/.test(a) ? parseLiteral(a) : undefined;
      if (typeof lit === 'string') cur.push({ kind: 'text', text: lit });
      else cur.push({ kind: 'path', steps: parseSteps(a) });
    }
  }
  if (stack.length > 1) throw new JSONPathError('unclosed range');
  return root;
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return Object.keys(v).sort().map((k) => (v as Record<string, unknown>)[k]);
  return [];
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b || (typeof a !== 'object' && String(a) === String(b));
    case '!=':
      return !(a === b || (typeof a !== 'object' && String(a) === String(b)));
  }
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
}

function evalSteps(values: unknown[], steps: Step[]): unknown[] {
  let cur = values;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      switch (step.kind) {
        case 'field':
          for (const n of step.names) {
            if (v && typeof v === 'object' && !Array.isArray(v) && n in (v as object)) next.push((v as Record<string, unknown>)[n]);
          }
          break;
        case 'wildcard':
          next.push(...children(v));
          break;
        case 'recursive': {
          const walk = (x: unknown) => {
            next.push(x);
            for (const c of children(x)) walk(c);
          };
          walk(v);
          break;
        }
        case 'index': {
          if (!Array.isArray(v)) break;
          const len = v.length;
          const norm = (x: number) => (x < 0 ? x + len : x);
          if (step.single) {
            const ix = norm(step.start!);
            if (ix < 0 || ix >= len) throw new JSONPathError(`array index out of bounds: index ${step.start}, length ${len}`);
            next.push(v[ix]);
          } else next.push(...v.slice(Math.max(0, norm(step.start ?? 0)), Math.min(len, norm(step.end ?? len))));
          break;
        }
        case 'filter':
          for (const item of children(v)) {
            const left = evalSteps([item], step.left);
            if (!step.op) {
              if (left.length > 0) next.push(item);
              continue;
            }
            const right = Array.isArray(step.right) ? evalSteps([item], step.right) : [step.right];
            if (left.length > 0 && right.length > 0 && compare(left[0], step.op, right[0])) next.push(item);
          }
          break;
      }
    }
    cur = next;
  }
  return cur;
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return goJSONCompact(v);
  return String(v);
}

function run(nodes: Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'path') out += evalSteps([data], n.steps).map(valueText).join(' ');
    else for (const item of evalSteps([data], n.steps).flatMap((x) => (Array.isArray(x) ? x : [x]))) out += run(n.body, item);
  }
  return out;
}

/** `kubectl get -o jsonpath=TEMPLATE`: the text printed for `data` (an object or a `kind: List`). */
export function printJSONPath(template: string, data: unknown): string {
  return run(parseTemplate(template), data);
}

/** The values one JSONPath expression yields (custom-columns, --sort-by). */
export function jsonPathValues(template: string, data: unknown): unknown[] {
  const nodes = parseTemplate(template);
  return nodes.flatMap((n) => (n.kind === 'path' ? evalSteps([data], n.steps) : []));
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/** kubectl's RelaxedJSONPathExpression: `.a.b`, `a.b`, `{a.b}` → `{.a.b}`. */
export function relaxedJSONPathExpression(expr: string): string {
  if (expr === '') return expr;
  const m = expr.match(RELAXED);
  if (!m) throw new JSONPathError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] || m[2]}}`;
}
