/**
 * Swagger 2.0 `paths` for the resources we serve, named and described as kube-apiserver's /openapi/v2 names them
 * (operationId `patchAppsV1NamespacedDeployment`, x-kubernetes-action, x-kubernetes-group-version-kind). kubectl
 * before 1.29 reads the PATCH operations: a fieldValidation query parameter there is how it learns that the server
 * validates fields itself (cli-runtime QueryParamVerifier), so every PATCH carries it.
 */
import type { ResourceInfo } from '../../../api/resources.ts';
import { schemaNameOf } from '../openapi.ts';

type Json = Record<string, unknown>;
interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const DEF = (name: string) => ({ $ref: `#/definitions/${name}` });
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const PRODUCES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const WATCH_PRODUCES = [...PRODUCES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

const query = (name: string, description: string, type = 'string'): Json => ({ description, in: 'query', name, type, uniqueItems: true });
const pathParam = (name: string, description: string): Json => ({ description, in: 'path', name, required: true, type: 'string', uniqueItems: true });
const body = (schema: string): Json => ({ in: 'body', name: 'body', required: true, schema: DEF(schema) });

const DRY_RUN = query('dryRun', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed');
const FIELD_MANAGER = query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.');
const FIELD_MANAGER_PATCH = query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint. This field is required for apply requests (application/apply-patch) but optional for non-apply patch types (JsonPatch, MergePatch, StrategicMergePatch).');
const FIELD_VALIDATION = query(
  'fieldValidation',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
);
const FORCE = query('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', 'boolean');
const PRETTY = query('pretty', "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).");
const NAMESPACE = pathParam('namespace', 'object name and auth scope, such as for teams and projects');
const LIST_PARAMS = [
  query('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server\'s discretion. Clients should not assume bookmarks are returned at any specific interval, nor may they assume the server will send any BOOKMARK event during a session. If this is not a watch, this field is ignored.', 'boolean'),
  query('continue', 'The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize.'),
  query('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  query('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  query('limit', 'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.', 'integer'),
  query('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset'),
  query('timeoutSeconds', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.', 'integer'),
  query('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.', 'boolean'),
];
const DELETE_PARAMS = [
  body('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'),
  DRY_RUN,
  query('gracePeriodSeconds', 'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.', 'integer'),
  query('propagationPolicy', "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground."),
];
// The request body comes first; kube-openapi lists the remaining parameters by name.
const byName = (params: Json[]): Json[] => [...params].sort((a, b) => (a.in === 'body' ? -1 : b.in === 'body' ? 1 : String(a.name) < String(b.name) ? -1 : 1));

function groupWord(group: string): string {
  if (group === '') return 'Core';
  const first = group.split('.')[0];
  return first[0].toUpperCase() + first.slice(1);
}

function tagOf(r: ResourceInfo): string {
  return `${r.group === '' ? 'core' : r.group.split('.')[0]}_${r.version}`;
}

const schemaName = (gvk: Gvk): string => schemaNameOf(gvk.group, gvk.version, gvk.kind);

const responses = (codes: Record<string, string | undefined>): Json => {
  const text: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
  const out: Json = {};
  for (const [code, schema] of Object.entries(codes)) out[code] = { description: text[code], schema: DEF(schema!) };
  out['401'] = { description: 'Unauthorized' };
  return out;
};

function operation(r: ResourceInfo, gvk: Gvk, action: string, id: string, description: string, extra: Json): Json {
  return sortKeys({
    consumes: ['*/*'],
    description,
    operationId: id,
    produces: PRODUCES,
    ...extra,
    schemes: ['https'],
    tags: [tagOf(r)],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: gvk.group, kind: gvk.kind, version: gvk.version },
  });
}

/** Read, replace and patch of one object or one of its subresources (status, scale). */
function itemOperations(r: ResourceInfo, gvk: Gvk, sub: string, writable: boolean): Json {
  const schema = schemaName(gvk);
  const ns = r.namespaced ? 'Namespaced' : '';
  const id = (verb: string) => `${verb}${groupWord(r.group)}${r.version[0].toUpperCase()}${r.version.slice(1)}${ns}${r.kind}${sub ? sub[0].toUpperCase() + sub.slice(1) : ''}`;
  const what = sub ? `${sub} of the specified ${r.kind}` : `the specified ${r.kind}`;
  const ops: Json = {
    get: operation(r, gvk, 'get', id('read'), `read ${what}`, { responses: responses({ '200': schema }) }),
  };
  if (!writable) return ops;
  ops.put = operation(r, gvk, 'put', id('replace'), `replace ${what}`, {
    parameters: byName([body(schema), DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION]),
    responses: responses({ '200': schema, '201': schema }),
  });
  ops.patch = operation(r, gvk, 'patch', id('patch'), `partially update ${what}`, {
    consumes: PATCH_TYPES,
    parameters: byName([body('io.k8s.apimachinery.pkg.apis.meta.v1.Patch'), DRY_RUN, FIELD_MANAGER_PATCH, FIELD_VALIDATION, FORCE]),
    responses: responses({ '200': schema, '201': schema }),
  });
  return ops;
}

/** The paths of one resource: its collection, the object, status/scale, and the all-namespaces list. */
export function resourcePaths(r: ResourceInfo): Record<string, Json> {
  const gvk: Gvk = { group: r.group, version: r.version, kind: r.kind };
  const schema = schemaName(gvk);
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const coll = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}` : `${prefix}/${r.resource}`;
  const ns = r.namespaced ? 'Namespaced' : '';
  const gv = `${groupWord(r.group)}${r.version[0].toUpperCase()}${r.version.slice(1)}`;
  const scope = r.namespaced ? [NAMESPACE] : [];
  const paths: Record<string, Json> = {};
  const has = (v: string) => r.verbs.includes(v);

  const collection: Json = {};
  if (has('deletecollection')) {
    collection.delete = operation(r, gvk, 'deletecollection', `delete${gv}Collection${ns}${r.kind}`, `delete collection of ${r.kind}`, {
      parameters: byName([...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks')]),
      responses: responses({ '200': STATUS }),
    });
  }
  collection.get = operation(r, gvk, 'list', `list${gv}${ns}${r.kind}`, `list or watch objects of kind ${r.kind}`, {
    parameters: LIST_PARAMS,
    produces: WATCH_PRODUCES,
    responses: responses({ '200': `${schema}List` }),
  });
  collection.parameters = [...scope, PRETTY];
  collection.post = operation(r, gvk, 'post', `create${gv}${ns}${r.kind}`, `create a ${r.kind}`, {
    parameters: byName([body(schema), DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION]),
    responses: responses({ '200': schema, '201': schema, '202': schema }),
  });
  paths[coll] = collection;

  const item: Json = {
    delete: operation(r, gvk, 'delete', `delete${gv}${ns}${r.kind}`, `delete a ${r.kind}`, {
      parameters: byName(DELETE_PARAMS),
      responses: responses({ '200': STATUS, '202': STATUS }),
    }),
    ...itemOperations(r, gvk, '', true),
    parameters: [pathParam('name', `name of the ${r.kind}`), ...scope, PRETTY],
  };
  paths[`${coll}/{name}`] = sortKeys(item);

  if (r.subresources.includes('status')) {
    paths[`${coll}/{name}/status`] = { ...itemOperations(r, gvk, 'status', true), parameters: [pathParam('name', `name of the ${r.kind}`), ...scope, PRETTY] };
  }
  if (r.subresources.includes('scale')) {
    const scale = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    paths[`${coll}/{name}/scale`] = { ...itemOperations(r, scale, 'scale', true), parameters: [pathParam('name', 'name of the Scale'), ...scope, PRETTY] };
  }
  if (r.namespaced) {
    paths[`${prefix}/${r.resource}`] = {
      get: operation(r, gvk, 'list', `list${gv}${r.kind}ForAllNamespaces`, `list or watch objects of kind ${r.kind}`, {
        produces: WATCH_PRODUCES,
        responses: responses({ '200': `${schema}List` }),
      }),
      parameters: byName([...LIST_PARAMS, PRETTY]),
    };
  }
  return paths;
}

function sortKeys(o: Json): Json {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
