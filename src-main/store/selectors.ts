/** Label selectors (string and LabelSelector forms) and field selectors, as apimachinery parses them. */
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { errors } from '../api/errors.ts';

export type Labels = Record<string, string> | undefined;

type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type LabelMatcher = (labels: Labels) => boolean;

function matches(req: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const v = labels[req.key];
  switch (req.op) {
    case 'eq':
      return has && v === req.value;
    case 'neq':
      return !has || v !== req.value;
    case 'in':
      return has && req.values.includes(v);
    case 'notin':
      return !has || !req.values.includes(v);
    case 'exists':
      return has;
    case 'notexists':
      return !has;
  }
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  return parts.map((p) => p.trim());
}

export function parseLabelSelector(selector: string | undefined): LabelMatcher {
  if (!selector || selector.trim() === '') return () => true;
  const reqs: Requirement[] = splitTopLevel(selector).map((term) => {
    let m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) };
    m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(term);
    if (m) return { key: m[1], op: m[2] === '!=' ? 'neq' : 'eq', value: m[3] };
    m = /^!\s*([^\s!=(),]+)$/.exec(term);
    if (m) return { key: m[1], op: 'notexists' };
    m = /^([^\s!=(),]+)$/.exec(term);
    if (m) return { key: m[1], op: 'exists' };
    throw errors.badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
  });
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

/** A LabelSelector object (matchLabels / matchExpressions). An empty selector matches everything. */
export function labelSelectorMatcher(sel: LabelSelector | undefined | null): LabelMatcher {
  if (!sel) return () => false;
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key, op: 'eq', value });
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator;
    if (op === 'In') reqs.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (op === 'NotIn') reqs.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (op === 'Exists') reqs.push({ key: e.key, op: 'exists' });
    else if (op === 'DoesNotExist') reqs.push({ key: e.key, op: 'notexists' });
  }
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

/** A Service-style selector: a map; an empty or missing map selects nothing. */
export function mapSelectorMatcher(sel: Record<string, string> | undefined): LabelMatcher {
  if (!sel || Object.keys(sel).length === 0) return () => false;
  return (labels) => Object.entries(sel).every(([k, v]) => labels?.[k] === v);
}

export function selectorToString(sel: LabelSelector | undefined): string {
  if (!sel) return '';
  const parts = Object.entries(sel.matchLabels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

type FieldTerm = { path: string; parts: string[]; neq: boolean; value: string };
export type FieldMatcher = (obj: unknown) => boolean;

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
/** Field labels each kind supports (pkg/registry/.../strategy.go *ToSelectableFields). */
export const SELECTABLE_FIELDS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Event: [
    'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
    'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type',
  ],
  Node: ['spec.unschedulable'],
  Namespace: ['status.phase'],
  ReplicaSet: ['status.replicas'],
  Secret: ['type'],
};

function fieldValue(obj: unknown, path: string, parts: readonly string[] = path.split('.')): string {
  let cur: unknown = obj;
  for (const p of parts) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  if (path === 'source' && obj && typeof obj === 'object') cur = (obj as { source?: { component?: string } }).source?.component as unknown;
  if (cur === undefined || cur === null) return path === 'spec.unschedulable' || path === 'spec.hostNetwork' ? 'false' : '';
  return String(cur);
}

export function parseFieldSelector(selector: string | undefined, kind: string): FieldMatcher {
  if (!selector || selector.trim() === '') return () => true;
  const allowed = [...COMMON_FIELDS, ...(SELECTABLE_FIELDS[kind] ?? [])];
  const terms: FieldTerm[] = selector.split(',').map((t) => {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(t);
    if (!m) throw errors.badRequest(`invalid field selector: ${t}`);
    if (!allowed.includes(m[1])) throw errors.badRequest(`field label not supported: ${m[1]}`);
    return { path: m[1], parts: m[1].split('.'), neq: m[2] === '!=', value: m[3] };
  });
  return (obj) => terms.every((t) => (fieldValue(obj, t.path, t.parts) === t.value) !== t.neq);
}

/**
 * The value a field selector requires `path` to equal (`path=value` or `path==value`), if it has such a term;
 * used to index watches. Assumes the selector already parsed.
 */
export function fieldEquality(selector: string | undefined, path: string): string | undefined {
  if (!selector) return undefined;
  for (const t of selector.split(',')) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(t);
    if (m && m[1] === path && m[2] !== '!=') return m[3];
  }
  return undefined;
}
