/** Label selectors (string and LabelSelector forms) and field selectors, as apimachinery parses them. */
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { errors } from '../api/errors.ts';
import { parseFieldTerms, parseLabelRequirements, SelectorSyntaxError, type FieldTerm, type Requirement as ParsedRequirement } from './selector-parse.ts';

export type Labels = Record<string, string> | undefined;

type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'gt' | 'lt'; value: string };

export type LabelMatcher = (labels: Labels) => boolean;

const INT = /^[+-]?\d+$/;

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
    case 'gt':
    case 'lt': {
      if (!has || !INT.test(v)) return false;
      const a = BigInt(v);
      const b = BigInt(req.value);
      return req.op === 'gt' ? a > b : a < b;
    }
  }
}

function toRequirement(r: ParsedRequirement): Requirement {
  switch (r.op) {
    case '=':
    case '==':
      return { key: r.key, op: 'eq', value: r.values[0] };
    case '!=':
      return { key: r.key, op: 'neq', value: r.values[0] };
    case 'in':
    case 'notin':
      return { key: r.key, op: r.op, values: r.values };
    case 'exists':
      return { key: r.key, op: 'exists' };
    case '!':
      return { key: r.key, op: 'notexists' };
    default:
      return { key: r.key, op: r.op, value: r.values[0] };
  }
}

/** A `labelSelector` query parameter; 400 with labels.Parse's message when it does not parse. */
export function parseLabelSelector(selector: string | undefined): LabelMatcher {
  if (!selector) return () => true;
  let reqs: Requirement[];
  try {
    reqs = parseLabelRequirements(selector).map(toRequirement);
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw errors.badRequest(e.message);
    throw e;
  }
  if (reqs.length === 0) return () => true;
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

function fieldTerms(selector: string): FieldTerm[] {
  try {
    return parseFieldTerms(selector);
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw errors.badRequest(e.message);
    throw e;
  }
}

/** A `fieldSelector` query parameter: fields.ParseSelector, then the kind's field label conversion. */
export function parseFieldSelector(selector: string | undefined, kind: string): FieldMatcher {
  if (!selector) return () => true;
  const allowed = [...COMMON_FIELDS, ...(SELECTABLE_FIELDS[kind] ?? [])];
  const terms = fieldTerms(selector).map((t) => {
    if (!allowed.includes(t.field)) throw errors.badRequest(`field label not supported: ${t.field}`);
    return { ...t, parts: t.field.split('.') };
  });
  return (obj) => terms.every((t) => (fieldValue(obj, t.field, t.parts) === t.value) !== t.neq);
}

/**
 * The value a field selector requires `path` to equal (`path=value` or `path==value`), if it has such a term;
 * used to index watches. Assumes the selector already parsed.
 */
export function fieldEquality(selector: string | undefined, path: string): string | undefined {
  if (!selector) return undefined;
  try {
    return parseFieldTerms(selector).find((t) => t.field === path && !t.neq)?.value;
  } catch {
    return undefined;
  }
}
