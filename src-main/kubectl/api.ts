/**
 * kubectl's view of the server: aggregated discovery (resource names, short names, categories), resource paths,
 * requests with kubectl's Accept headers, and server errors as kubectl decodes them.
 */
import type { ApiClient, ApiRequest, ApiResponse, Query } from './client.ts';

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

export interface ApiResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: string[];
}

export interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { type?: string; message?: string; field?: string }[] };
  code?: number;
}

/** An error the server answered with (a Status, or a plain-text body turned into kubectl's generic one). */
export class ServerError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message ?? '');
  }
}

/** An error kubectl itself reports (`error: ...`). */
export class KubectlError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Print the message as it is (it already has its own `error: ` or other text and newline). */
    readonly raw = false,
  ) {
    super(message);
  }
}

const REASON_FOR_CODE: Record<number, [string, string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
  403: ['Forbidden', 'the server does not allow access to the requested resource'],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  409: ['AlreadyExists', 'the server reported a conflict'],
  415: ['UnsupportedMediaType', 'the server has rejected the request because it has an unsupported media type'],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  500: ['InternalError', 'an error on the server has prevented the request from succeeding'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
};

/** client-go's newUnstructuredResponseError / NewGenericServerResponse for non-Status bodies. */
export function errorFromResponse(res: ApiResponse, verb: string, resource: ApiResource | undefined, name?: string): ServerError {
  try {
    const s = JSON.parse(res.body) as StatusBody;
    if (s && s.kind === 'Status') return new ServerError(s);
  } catch {
    /* not JSON */
  }
  const [reason, base] = REASON_FOR_CODE[res.status] ?? ['', `an error on the server ("${res.body.trim()}") has prevented the request from succeeding`];
  const qualified = resource ? (resource.group ? `${resource.resource}.${resource.group}` : resource.resource) : '';
  const suffix = resource ? ` (${verb.toLowerCase()} ${qualified}${name ? ` ${name}` : ''})` : '';
  return new ServerError({ kind: 'Status', status: 'Failure', reason, message: base + suffix, code: res.status });
}

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `pods`, `deployments.apps`. */
export function qualified(r: ApiResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** `pod`, `deployment.apps`: the kind prefix kubectl prints (`deployment.apps/web`). */
export function kindPrefix(r: { kind: string; group: string }): string {
  return (r.group ? `${r.kind}.${r.group}` : r.kind).toLowerCase();
}

export function resourcePath(r: ApiResource, namespace: string | undefined, name?: string, sub?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (sub) p += `/${sub}`;
  return p;
}

interface DiscoveryResource {
  resource: string;
  responseKind?: { group: string; version: string; kind: string };
  scope: string;
  singularResource?: string;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  subresources?: { subresource: string }[];
}
interface DiscoveryGroup {
  metadata: { name: string };
  versions: { version: string; resources: DiscoveryResource[] }[];
}

/**
 * Discovery per client, as kubectl keeps it in its disk cache between runs: a name it cannot resolve refreshes it
 * once (the deferred RESTMapper's reset on NoMatch), and `api-resources` always asks again (it invalidates).
 */
const discoveryCache = new WeakMap<ApiClient, ApiResource[]>();

export class Api {
  private resources?: ApiResource[];
  /** Whether `resources` came from this run's own discovery requests (not the per-client cache). */
  private fetched = false;
  constructor(
    readonly client: ApiClient,
    readonly signal?: AbortSignal,
  ) {}

  async send(req: ApiRequest): Promise<ApiResponse> {
    return this.client.request({ signal: this.signal, ...req });
  }

  /** GET/POST/... expecting success; throws ServerError otherwise. */
  async call<T = Record<string, unknown>>(method: string, path: string, opts: { query?: Query; body?: unknown; contentType?: string; accept?: string; resource?: ApiResource; name?: string } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json, */*' };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['Content-Type'] = opts.contentType ?? 'application/json';
    }
    const res = await this.send({ method, path, query: opts.query, headers, body });
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res, method, opts.resource, opts.name);
    return (res.body ? JSON.parse(res.body) : {}) as T;
  }

  async discover(opts: { fresh?: boolean } = {}): Promise<ApiResource[]> {
    if (opts.fresh && !this.fetched) this.resources = undefined;
    if (this.resources) return this.resources;
    const cached = opts.fresh ? undefined : discoveryCache.get(this.client);
    if (cached) return (this.resources = cached);
    const out: ApiResource[] = [];
    for (const path of ['/api', '/apis']) {
      const res = await this.send({ method: 'GET', path, query: { timeout: '32s' }, headers: { Accept: DISCOVERY_ACCEPT } });
      if (res.status !== 200) throw errorFromResponse(res, 'GET', undefined);
      const list = JSON.parse(res.body) as { items?: DiscoveryGroup[] };
      for (const g of list.items ?? []) {
        // The first listed version is the preferred one; kubectl resolves names against it.
        const v = g.versions[0];
        if (!v) continue;
        for (const r of v.resources) {
          out.push({
            group: g.metadata.name ?? '',
            version: v.version,
            resource: r.resource,
            kind: r.responseKind?.kind ?? '',
            singular: r.singularResource ?? r.responseKind?.kind.toLowerCase() ?? '',
            namespaced: r.scope === 'Namespaced',
            shortNames: r.shortNames ?? [],
            categories: r.categories ?? [],
            verbs: r.verbs ?? [],
            subresources: (r.subresources ?? []).map((s) => s.subresource),
          });
        }
      }
    }
    this.resources = out;
    this.fetched = true;
    discoveryCache.set(this.client, out);
    return out;
  }

  /** RESTMapper + shortcut expansion: `po`, `pods`, `pod`, `Pod`, `deployments.apps`, `deploy.v1.apps`. */
  async resolve(typed: string): Promise<ApiResource> {
    const found = this.lookup(await this.discover(), typed) ?? (this.fetched ? undefined : this.lookup(await this.discover({ fresh: true }), typed));
    if (!found) throw new KubectlError(`the server doesn't have a resource type "${typed}"`);
    return found;
  }

  private lookup(all: ApiResource[], typed: string): ApiResource | undefined {
    const lower = typed.toLowerCase();
    const dot = lower.indexOf('.');
    const base = dot >= 0 ? lower.slice(0, dot) : lower;
    let group: string | undefined = dot >= 0 ? lower.slice(dot + 1) : undefined;
    let version: string | undefined;
    if (group) {
      const parts = group.split('.');
      if (/^v\d/.test(parts[0]) && parts.length > 1) {
        version = parts[0];
        group = parts.slice(1).join('.');
      }
    }
    const matches = (r: ApiResource) => (group === undefined || r.group === group) && (version === undefined || r.version === version);
    const found =
      all.find((r) => matches(r) && r.shortNames.includes(base)) ??
      all.find((r) => matches(r) && (r.resource === base || r.singular === base)) ??
      all.find((r) => matches(r) && r.kind.toLowerCase() === base);
    return found;
  }

  async byKind(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const all = await this.discover();
    const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return all.find((r) => r.group === g && r.kind === kind && r.version === v) ?? all.find((r) => r.group === g && r.kind === kind);
  }

  /** Expands a category (`all`) to its resources, in discovery order. */
  async category(name: string): Promise<ApiResource[]> {
    const all = await this.discover();
    return all.filter((r) => r.categories.includes(name));
  }
}
