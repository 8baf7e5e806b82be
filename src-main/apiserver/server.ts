/**
 * The HTTP API server kubectl talks to: bearer-token auth, /version and health checks, discovery, OpenAPI v2/v3 and
 * REST for every kind over a Registry. Bound to 127.0.0.1 only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { errors } from '../api/errors.ts';
import type { Clock } from '../clock/clock.ts';
import type { Registry } from '../registry/registry.ts';
import { anonymousForbidden, identify, publicInfoAllowed } from './auth.ts';
import { clientErrorHandler, connectHandler, rawStatusResponse } from './raw-errors.ts';
import type { ResourceRequest, ServerContext } from './context.ts';
import { aggregatedContentType, aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, isServedGroup } from './discovery.ts';
import { Query, sendError, sendGoBadRequest, sendJson, sendNotFoundPath, sendPlain404, sendStatus } from './http.ts';
import { requestInfoOf } from './request-info.ts';
import { parseRequestTarget, type RequestTarget } from './request-target.ts';
import { negotiateDiscovery } from './negotiate.ts';
import { openApiDocument, openApiIndex } from './openapi/openapi.ts';
import { serveOpenApiV2 } from './openapi/v2/serve.ts';
import type { PodRuntime } from './pod-runtime.ts';
import { execUpgradeHandler } from './exec.ts';
import { holdUntilDurable } from './durable-ack.ts';
import { hostAllowed, hostForbiddenStatus, refuseUpgrade } from './host-header.ts';
import { portForwardUpgradeHandler } from './portforward.ts';
import { createObject, deleteCollection, deleteObject, getObject, listObjects, notAllowed, patchObject, replaceObject } from './rest.ts';
import { parseResourcePath } from './routes.ts';
import { handleSubresource } from './subresources.ts';
import { selfSignedCert, type ServingCert } from './tls.ts';
import { SERVER_VERSION } from './version.ts';
import { watchObjects } from './watch.ts';

export interface ApiServerOptions {
  registry: Registry;
  clock: Clock;
  host?: '127.0.0.1';
  port?: number;
  token: string;
  podRuntime?: PodRuntime;
  /** Called once per request when its response finishes (request logs, tests). */
  onRequest?: (entry: { method: string; url: string; contentType?: string; accept?: string; status: number }) => void;
  /** Serving certificate; a fresh self-signed one for 127.0.0.1 when absent. */
  tls?: ServingCert;
  /** Resolves once every committed change is on disk: a write's answer waits for it (see durable-ack.ts). */
  durable?: () => Promise<void>;
}

export interface ApiServer {
  url: string;
  port: number;
  /** PEM of the serving certificate, for a kubeconfig's certificate-authority-data. */
  caData: string;
  /** The listening server, for other endpoints that share its port (`kubelab shell`'s WebSocket). */
  server: import('node:http').Server;
  close(): Promise<void>;
}

function discovery(req: IncomingMessage, res: ServerResponse, which: 'api' | 'apis', address: string): void {
  const choice = negotiateDiscovery(req.headers.accept);
  res.setHeader('Vary', 'Accept');
  if (choice.kind === 'aggregated') {
    return sendJson(res, 200, aggregatedDiscovery(which, choice.version), aggregatedContentType(choice.version));
  }
  if (choice.kind === 'none') {
    return sendStatus(res, errors.notAcceptable('only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList, application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList').status);
  }
  sendJson(res, 200, which === 'api' ? apiVersions(address) : apiGroupList());
}

async function handleResource(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, target: RequestTarget): Promise<void> {
  const p = parseResourcePath(target.path);
  if (p.kind === 'unknown') return sendNotFoundPath(res);
  if (p.kind === 'unknownResource') return sendPlain404(res);
  if (p.kind === 'group') {
    if (!isServedGroup(p.group)) return sendNotFoundPath(res);
    return sendJson(res, 200, apiGroup(p.group));
  }
  if (p.kind === 'groupVersion') return sendJson(res, 200, apiResourceList(p.group, p.version));
  const query = new Query(target.query);
  const rr: ResourceRequest = { ctx, req, res, query, r: p.r, namespace: p.namespace, name: p.name, subresource: p.subresource, warnings: [] };
  const method = req.method ?? 'GET';
  if (p.subresource) return handleSubresource(rr);
  const has = (verb: string) => p.r.verbs.includes(verb);
  if (p.name === undefined) {
    if (method === 'GET') {
      if (query.bool('watch')) return has('watch') ? watchObjects(rr) : notAllowed();
      return has('list') ? listObjects(rr) : notAllowed();
    }
    if (method === 'POST') return has('create') ? createObject(rr) : notAllowed();
    if (method === 'DELETE') return has('deletecollection') ? deleteCollection(rr) : notAllowed();
    return notAllowed();
  }
  if (method === 'GET') {
    if (query.bool('watch')) return watchObjects(rr);
    return getObject(rr);
  }
  if (method === 'PUT') return has('update') ? replaceObject(rr) : notAllowed();
  if (method === 'PATCH') return has('patch') ? patchObject(rr) : notAllowed();
  if (method === 'DELETE') return has('delete') ? deleteObject(rr) : notAllowed();
  return notAllowed();
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const ctx: ServerContext = { registry: opts.registry, clock: opts.clock, podRuntime: opts.podRuntime };
  const host = '127.0.0.1';
  let address = `${host}:0`;
  const tls = opts.tls ?? selfSignedCert();
  // Go's http.Server reads up to 1 MiB of headers (DefaultMaxHeaderBytes); Node's default is 16 KiB.
  const server = createServer({ key: tls.key, cert: tls.cert, maxHeaderSize: 1 << 20 }, async (req, res) => {
    if (opts.onRequest) {
      const hook = opts.onRequest;
      res.on('finish', () => hook({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], accept: req.headers.accept, status: res.statusCode }));
    }
    if (opts.durable && req.method !== 'GET' && req.method !== 'HEAD') holdUntilDurable(res, opts.durable);
    try {
      if (!hostAllowed(req)) return sendStatus(res, hostForbiddenStatus(req));
      const target = parseRequestTarget(req.url ?? '/');
      if (!target) return sendGoBadRequest(res);
      const method = req.method ?? 'GET';
      const who = identify(req, opts.token);
      if (who === 'invalid') return sendStatus(res, errors.unauthorized().status);
      if (who === 'anonymous') {
        const info = requestInfoOf(method, target.path, target.query);
        if (!publicInfoAllowed(info)) return sendStatus(res, anonymousForbidden(info));
      }
      const path = target.path.replace(/\/+$/, '') || '/';
      if (path === '/healthz' || path === '/livez' || path === '/readyz') {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        return res.end('ok');
      }
      if (path.startsWith('/api/') || path.startsWith('/apis/')) return await handleResource(ctx, req, res, target);
      const known = path === '/version' || path === '/api' || path === '/apis' || path === '/openapi/v2' || path.startsWith('/openapi/v3');
      // These are GET-only routes upstream (go-restful answers any other method with 405).
      if (known && method !== 'GET') return sendStatus(res, errors.methodNotAllowed().status);
      if (path === '/version') return sendJson(res, 200, JSON.stringify(SERVER_VERSION, null, 2));
      if (path === '/api' || path === '/apis') return discovery(req, res, path === '/api' ? 'api' : 'apis', address);
      if (path === '/openapi/v2') return serveOpenApiV2(req, res);
      if (path === '/openapi/v3') return sendJson(res, 200, openApiIndex());
      if (path.startsWith('/openapi/v3/')) {
        const doc = openApiDocument(path.slice('/openapi/v3/'.length));
        if (!doc) return sendNotFoundPath(res);
        if (target.query.get('hash') === doc.hash) res.setHeader('Cache-Control', 'public, immutable');
        res.setHeader('Etag', `"${doc.hash}"`);
        return sendJson(res, 200, doc.json);
      }
      return sendNotFoundPath(res);
    } catch (e) {
      sendError(res, e);
    }
  });
  server.keepAliveTimeout = 30_000;
  server.on('clientError', clientErrorHandler(opts.token));
  server.on('connect', connectHandler(opts.token));
  const upgrade = execUpgradeHandler(ctx);
  const portForward = portForwardUpgradeHandler(ctx);
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    // Other endpoints on this port (kubelab shell) take their own upgrades.
    if (!/^\/apis?\//.test(req.url ?? '')) return;
    if (!hostAllowed(req)) return refuseUpgrade(socket, req, true);
    const who = identify(req, opts.token);
    if (who !== 'token') {
      const target = parseRequestTarget(req.url ?? '/');
      const info = requestInfoOf(req.method ?? 'GET', target?.path ?? '/', target?.query ?? new URLSearchParams());
      socket.end(rawStatusResponse(who === 'invalid' ? errors.unauthorized().status : anonymousForbidden(info)));
      return;
    }
    if (/\/portforward(\?|$)/.test(req.url ?? '')) portForward(req, socket, head);
    else upgrade(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  return {
    url: `https://${host}:${port}`,
    port,
    caData: tls.cert,
    server: server as unknown as import('node:http').Server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
