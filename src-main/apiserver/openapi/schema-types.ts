/** OpenAPI schema shape and definition naming, shared by the build-time generator and the running server. */

export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
  default?: unknown;
  [ext: `x-${string}`]: unknown;
}

/** Schema-name prefix (Go package path, as upstream names definitions) for a kubernetes-types module. */
export function packageOf(module: string): string {
  if (module === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (module === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (module === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (module.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${module.split('/')[1]}`;
  return `io.k8s.api.${module.replace('/', '.')}`;
}

/** Follows `$ref` / `allOf[0].$ref` (a few hops at most) to the schema that describes the fields. */
export function resolveSchema(s: Schema | undefined, all: Record<string, Schema>): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && i < 8; i++) {
    const ref = cur.$ref ?? cur.allOf?.[0]?.$ref;
    if (!ref) return cur;
    cur = all[ref.replace('#/components/schemas/', '')];
  }
  return cur;
}
