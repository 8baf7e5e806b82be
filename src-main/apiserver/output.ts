/** Writes objects and lists, as JSON or (when asked with the Table Accept) as meta.k8s.io Tables. */
import { errors } from '../api/errors.ts';
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { tableFor, type IncludeObject } from '../printers/table/table.ts';
import type { ResourceRequest } from './context.ts';
import { sendJson, warningHeaders } from './http.ts';
import { tableJson } from './serialize.ts';
import { negotiateObject } from './negotiate.ts';

const NOT_ACCEPTABLE = 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=Table;v=v1beta1;g=meta.k8s.io';

export function includeObjectOf(rr: ResourceRequest): IncludeObject {
  const v = rr.query.get('includeObject');
  if (v === undefined || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw errors.badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}

export function wantsTable(rr: ResourceRequest): 'v1' | 'v1beta1' | undefined {
  const c = negotiateObject(rr.req.headers.accept);
  if (c.kind === 'none') throw errors.notAcceptable(NOT_ACCEPTABLE);
  return c.kind === 'table' ? c.version : undefined;
}

export function tableOf(rr: ResourceRequest, objects: KubeObject[], version: 'v1' | 'v1beta1', meta: { resourceVersion?: string; continue?: string; remainingItemCount?: number } = {}): Record<string, unknown> {
  const t = tableFor(rr.r, objects, { now: rr.ctx.clock.now(), includeObject: includeObjectOf(rr), resourceVersion: meta.resourceVersion }) as unknown as Record<string, unknown>;
  t.apiVersion = `meta.k8s.io/${version}`;
  const m = { ...(t.metadata as object) } as Record<string, unknown>;
  if (meta.continue) m.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) m.remainingItemCount = meta.remainingItemCount;
  t.metadata = m;
  return t;
}

/** A list or get answered as a Table (JSON written from serialize.ts's per-object caches). */
export function sendTable(rr: ResourceRequest, code: number, objects: KubeObject[], version: 'v1' | 'v1beta1', meta: { resourceVersion?: string; continue?: string; remainingItemCount?: number } = {}): void {
  const json = tableJson(rr.r, objects, { now: rr.ctx.clock.now(), include: includeObjectOf(rr), apiVersion: `meta.k8s.io/${version}`, metadata: meta });
  sendJson(rr.res, code, json, tableContentType(version));
}

function writeWarnings(rr: ResourceRequest): void {
  if (!rr.warnings.length || rr.res.headersSent) return;
  const values = warningHeaders(rr.warnings);
  if (values.length) rr.res.setHeader('Warning', values);
}

/** The Content-Type kube-apiserver answers a Table request with. */
export function tableContentType(version: 'v1' | 'v1beta1'): string {
  return `application/json;as=Table;v=${version};g=meta.k8s.io`;
}

export function writeObject(rr: ResourceRequest, code: number, obj: unknown): void {
  writeWarnings(rr);
  const table = rr.req.method === 'GET' ? wantsTable(rr) : undefined;
  if (table) return sendTable(rr, code, [obj as KubeObject], table);
  sendJson(rr.res, code, obj);
}

export function listKind(r: ResourceInfo): { kind: string; apiVersion: string } {
  return { kind: `${r.kind}List`, apiVersion: apiVersionOf(r) };
}

/** List items carry no apiVersion/kind on the wire (typed lists drop them). */
export function listItem(o: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  void _a;
  void _k;
  return rest;
}

export function writeStatusSuccess(rr: ResourceRequest, code: number, details?: Record<string, unknown>): void {
  writeWarnings(rr);
  const body: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details) body.details = details;
  if (code !== 200) body.code = code;
  sendJson(rr.res, code, body);
}
