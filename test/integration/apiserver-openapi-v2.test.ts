/**
 * GET /openapi/v2 over HTTPS (negotiation, ETag revalidation, gzip) and what kubectl 1.27/1.28 do with it when the
 * server has no OpenAPI v3: with the fieldValidation parameter on our PATCH operations they leave validation to the
 * server; without it (a doctored copy) they validate client-side against our v2 definitions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { encodeDocument } from '../../src-main/apiserver/openapi/v2/gnostic.ts';
import { swaggerSpec } from '../../src-main/apiserver/openapi/v2/document.ts';
import { APP_V1, kubectlBinary, runBinary, startTestCluster, type TestCluster } from './kubectl-harness.ts';

const TOKEN = 'test-token-0123456789';
const PB = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const PB_DEPRECATED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function get(c: TestCluster, path: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${c.server.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}`, ...headers }, ca: c.server.caData }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('/openapi/v2: JSON or gnostic protobuf by Accept, 406 otherwise, one ETag, 304 on revalidation, gzip', { timeout: 60_000 }, async () => {
  const c = await startTestCluster('1.27');
  try {
    const json = await get(c, '/openapi/v2', { Accept: 'application/json' });
    assert.equal(json.status, 200);
    assert.equal(json.headers['content-type'], 'application/json');
    const doc = JSON.parse(json.body.toString('utf8'));
    assert.deepEqual([doc.swagger, doc.info.title, doc.info.version], ['2.0', 'Kubernetes', 'v1.32.2']);
    const etag = `"${createHash('sha512').update(json.body).digest('hex').toUpperCase()}"`;
    assert.equal(json.headers.etag, etag, 'kube-openapi: SHA-512 of the JSON, upper-case hex, quoted');
    assert.equal(json.headers['cache-control'], 'no-cache, private');
    assert.equal(json.headers.vary, 'Accept-Encoding, Accept');
    assert.ok(json.headers['last-modified'] && !Number.isNaN(Date.parse(json.headers['last-modified'])));

    const pb = await get(c, '/openapi/v2', { Accept: PB_DEPRECATED });
    assert.equal(pb.status, 200);
    assert.equal(pb.headers['content-type'], PB, 'the deprecated media type is answered with the current one');
    assert.equal(pb.headers.etag, etag, 'one ETag for both encodings');
    assert.deepEqual(pb.body, encodeDocument(doc), 'the protobuf encodes the JSON document served');
    assert.equal((await get(c, '/openapi/v2', { Accept: PB })).headers['content-type'], PB);

    assert.equal((await get(c, '/openapi/v2', {})).headers['content-type'], 'application/json', 'no Accept: */*');
    assert.equal((await get(c, '/openapi/v2', { Accept: `application/json;q=0.5, ${PB}` })).headers['content-type'], PB, 'higher q wins');
    assert.equal((await get(c, '/openapi/v2', { Accept: `*/*, ${PB}` })).headers['content-type'], PB, 'a concrete type before a wildcard');
    const refused = await get(c, '/openapi/v2', { Accept: 'text/html' });
    assert.deepEqual([refused.status, refused.body.length], [406, 0]);

    const cached = await get(c, '/openapi/v2', { Accept: PB, 'If-None-Match': etag });
    assert.deepEqual([cached.status, cached.body.length, cached.headers.etag], [304, 0, etag]);
    assert.equal((await get(c, '/openapi/v2', { Accept: PB, 'If-None-Match': '"stale"' })).status, 200);
    assert.equal((await get(c, '/openapi/v2', { Accept: PB, 'If-Modified-Since': json.headers['last-modified']! })).status, 304);

    const gz = await get(c, '/openapi/v2', { Accept: PB, 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), pb.body);

    assert.equal((await get(c, '/openapi/v3', {})).status, 200, '/openapi/v3 is still served');
  } finally {
    await c.close();
  }
});

/**
 * A plain-HTTP front for the test server that answers /openapi/v3 with 404 (as a server without v3 would), serves
 * `v2` for /openapi/v2 when given, and forwards the rest with the bearer token.
 */
async function withoutV3(c: TestCluster, v2?: Buffer): Promise<{ server: Server; kubeconfig: string }> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/openapi/v3')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    if (v2 && req.url?.startsWith('/openapi/v2')) {
      res.writeHead(200, { 'Content-Type': PB, 'Content-Length': v2.length });
      res.end(v2);
      return;
    }
    const up = httpsRequest(`${c.server.url}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(c.server.url).host, authorization: `Bearer ${TOKEN}` }, ca: c.server.caData }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kubeconfig = join(c.dir, 'kubeconfig-v2-only');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: "${url}"}\n  name: v2only\ncontexts:\n- context: {cluster: v2only, namespace: default}\n  name: v2only\ncurrent-context: v2only\n`,
  );
  return { server, kubeconfig };
}

const UNKNOWN = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: unk}\ndata: {a: b}\nspec: {foo: bar}\n';

for (const version of ['1.27', '1.28']) {
  test(`kubectl ${version} without OpenAPI v3: the v2 PATCH operations tell it the server validates fields`, { timeout: 120_000 }, async () => {
    const c = await startTestCluster(version);
    const front = await withoutV3(c);
    try {
      c.write('unk.yaml', UNKNOWN);
      const run = (args: string[], cache: string) => runBinary(kubectlBinary(version), args, { dir: c.dir, kubeconfig: front.kubeconfig }, { cacheDir: join(c.dir, cache) });
      const r = await run(['create', '-f', 'unk.yaml'], 'cache-a');
      assert.deepEqual(
        [r.stdout, r.stderr, r.code],
        ['', 'Error from server (BadRequest): error when creating "unk.yaml": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"\n', 1],
      );
      assert.ok(c.requests.some((x) => x.method === 'POST' && x.url.includes('fieldValidation=Strict')));
      assert.ok(c.requests.some((x) => x.url.startsWith('/openapi/v2') && x.status === 200));
      assert.ok(!c.requests.some((x) => x.url.startsWith('/openapi/v3')), 'the front hid /openapi/v3');
    } finally {
      front.server.close();
      await c.close();
    }
  });
}

test('kubectl 1.27 without fieldValidation in the v2 document validates client-side against our definitions', { timeout: 120_000 }, async () => {
  const c = await startTestCluster('1.27');
  const spec = swaggerSpec() as { paths: Record<string, Record<string, { parameters?: Array<{ name?: string }> }>> };
  for (const item of Object.values(spec.paths)) if (item.patch) item.patch.parameters = item.patch.parameters?.filter((p) => p.name !== 'fieldValidation');
  const front = await withoutV3(c, encodeDocument(spec));
  try {
    c.write('unk.yaml', UNKNOWN);
    c.write('app.yaml', APP_V1);
    const run = (args: string[]) => runBinary(kubectlBinary('1.27'), args, { dir: c.dir, kubeconfig: front.kubeconfig }, { cacheDir: join(c.dir, 'cache-b') });
    const bad = await run(['create', '-f', 'unk.yaml']);
    assert.deepEqual(
      [bad.stdout, bad.stderr, bad.code],
      ['', 'error: error validating "unk.yaml": error validating data: ValidationError(ConfigMap): unknown field "spec" in io.k8s.api.core.v1.ConfigMap; if you choose to ignore these errors, turn validation off with --validate=false\n', 1],
    );
    assert.ok(!c.requests.some((x) => x.method === 'POST'), 'rejected before any request');
    // A valid manifest passes the same client-side validation (types, int-or-string ports, required fields).
    const ok = await run(['apply', '-f', 'app.yaml']);
    assert.deepEqual([ok.stdout, ok.stderr, ok.code], ['deployment.apps/web created\nservice/web created\n', '', 0]);
    assert.deepEqual(
      c.requests.filter((x) => x.method === 'POST').map((x) => [x.url.split('?')[0], x.status]),
      [['/apis/apps/v1/namespaces/default/deployments', 201], ['/api/v1/namespaces/default/services', 201]],
    );
  } finally {
    front.server.close();
    await c.close();
  }
});
