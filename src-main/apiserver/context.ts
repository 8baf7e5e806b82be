/** What every request handler gets: the server's collaborators and the parsed request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../api/errors.ts';
import type { Clock } from '../clock/clock.ts';
import type { ResourceInfo } from '../api/resources.ts';
import type { Registry } from '../registry/registry.ts';
import type { Query } from './http.ts';
import type { PodRuntime } from './pod-runtime.ts';

export interface ServerContext {
  registry: Registry;
  clock: Clock;
  podRuntime?: PodRuntime;
}

export interface ResourceRequest {
  ctx: ServerContext;
  req: IncomingMessage;
  res: ServerResponse;
  query: Query;
  r: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  warnings: string[];
}

/** fieldManager, or what kube-apiserver derives from the User-Agent when it is unset. */
export function managerOf(rr: ResourceRequest): string {
  const given = rr.query.get('fieldManager');
  if (given) return given;
  const ua = rr.req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}

export function isDryRun(rr: ResourceRequest, body?: { dryRun?: string[] }): boolean {
  const values = [...rr.query.all('dryRun'), ...(body?.dryRun ?? [])];
  for (const v of values) if (v !== 'All') throw errors.badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return values.includes('All');
}
