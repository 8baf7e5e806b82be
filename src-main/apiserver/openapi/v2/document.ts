/**
 * The /openapi/v2 document (Swagger 2.0) kube-apiserver serves, built once on first use from the same component
 * schemas as /openapi/v3: every definition, the paths of the kinds we serve, bearer-token security. Kept as JSON
 * bytes, their gnostic protobuf encoding, and the ETag kube-openapi derives from the JSON (SHA-512, upper-case hex).
 */
import { createHash } from 'node:crypto';
import { RESOURCES } from '../../../api/resources.ts';
import { SERVER_VERSION } from '../../version.ts';
import { schemas } from '../openapi.ts';
import { toV2Definitions } from './definitions.ts';
import { encodeDocument } from './gnostic.ts';
import { resourcePaths } from './paths.ts';

export interface SwaggerDocument {
  json: Buffer;
  protobuf: Buffer;
  etag: string;
  /** When the document was built: the Last-Modified kube-openapi reports (the time of its last UpdateSpec). */
  lastModified: Date;
}

let cache: SwaggerDocument | undefined;

export function swaggerSpec(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of RESOURCES) Object.assign(paths, resourcePaths(r));
  const sortedPaths: Record<string, unknown> = {};
  for (const k of Object.keys(paths).sort()) sortedPaths[k] = paths[k];
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths: sortedPaths,
    definitions: toV2Definitions(schemas()),
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    security: [{ BearerToken: [] }],
  };
}

export function swaggerDocument(): SwaggerDocument {
  if (cache) return cache;
  const spec = swaggerSpec();
  const json = Buffer.from(JSON.stringify(spec), 'utf8');
  cache = {
    json,
    protobuf: encodeDocument(spec),
    etag: createHash('sha512').update(json).digest('hex').toUpperCase(),
    lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
  };
  return cache;
}
