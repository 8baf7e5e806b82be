/**
 * Server-side printing: what kube-apiserver returns for a list or get with the Table Accept header
 * (TableConvertor → tablegenerator.GenerateTable with Wide set, then handlers/response.go asTable for row.object).
 */
import type { ResourceInfo } from '../../api/resources.ts';
import { apiVersionOf } from '../../api/resources.ts';
import type { KubeObject } from '../../api/types.ts';
import { translateTimestampSince, type AgeWindow } from '../duration.ts';
import { COLUMNS, DEFAULT_COLUMNS } from './columns.ts';
import { configMapCells, deploymentCells, endpointSliceCells, endpointsCells, eventCells, leaseCells, namespaceCells, nodeCells, replicaSetCells, serviceCells } from './cells.ts';
import { podCells, podRowConditions } from './pod-cells.ts';
import type { Cell, IncludeObject, Table, TableColumnDefinition, TableRow } from './types.ts';

export * from './types.ts';

export interface TableOptions {
  now: number;
  /** `?includeObject=`; kube-apiserver defaults to Metadata. */
  includeObject?: IncludeObject;
  /** TableOptions.noHeaders: omit columnDefinitions (watch events after the first). */
  noHeaders?: boolean;
  /** The list's resourceVersion; for a single object its own resourceVersion is used. */
  resourceVersion?: string;
}

type CellsFn = (o: never, now: number, window?: AgeWindow) => Cell[];

const CELLS: Record<string, CellsFn> = {
  Pod: podCells,
  Service: serviceCells,
  Deployment: deploymentCells,
  ReplicaSet: replicaSetCells,
  Endpoints: endpointsCells,
  EndpointSlice: endpointSliceCells,
  Node: nodeCells,
  Namespace: namespaceCells,
  Event: eventCells,
  Lease: leaseCells,
  ConfigMap: configMapCells,
};

export function columnsFor(kind: string): TableColumnDefinition[] {
  return COLUMNS[kind] ?? DEFAULT_COLUMNS;
}

function cellsFor(kind: string, obj: KubeObject, now: number, window?: AgeWindow): Cell[] {
  const fn = CELLS[kind];
  if (fn) return fn(obj as never, now, window);
  // The default convertor (apiserver registry/rest/table.go) prints name and the raw creation time.
  return [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? null];
}

function rowObject(resource: ResourceInfo, obj: KubeObject, include: IncludeObject): unknown {
  switch (include) {
    case 'None':
      return undefined;
    case 'Object':
      return { ...obj, apiVersion: obj.apiVersion || apiVersionOf(resource), kind: obj.kind || resource.kind };
    default:
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
  }
}

/** One object's row; with `window`, also when its ages next print differently (see translateTimestampSince). */
export function tableRow(resource: ResourceInfo, obj: KubeObject, now: number, include: IncludeObject, window?: AgeWindow): TableRow {
  const row: TableRow = { cells: cellsFor(resource.kind, obj, now, window) };
  if (resource.kind === 'Pod') {
    const conditions = podRowConditions(obj as never);
    if (conditions) row.conditions = conditions;
  }
  const object = rowObject(resource, obj, include);
  if (object !== undefined) row.object = object;
  return row;
}

export function tableFor(resource: ResourceInfo, objects: KubeObject[], opts: TableOptions): Table {
  const include = opts.includeObject ?? 'Metadata';
  const rows: TableRow[] = objects.map((obj) => tableRow(resource, obj, opts.now, include));
  const resourceVersion = opts.resourceVersion ?? (objects.length === 1 ? objects[0].metadata.resourceVersion : undefined) ?? '';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: opts.noHeaders ? [] : columnsFor(resource.kind),
    rows,
  };
}

/** Age cell helper re-exported for callers building ad-hoc rows. */
export { translateTimestampSince };
