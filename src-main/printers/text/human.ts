/**
 * The client side of `kubectl get` for Tables: cli-runtime printers/tableprinter.go (HumanReadablePrinter,
 * decorateTable, printTable) and kubectl cmd/get/get.go (one table per kind, blank line between kinds,
 * `No resources found`).
 */
import type { ResourceInfo } from '../../api/resources.ts';
import { formatLabels } from '../labels.ts';
import type { Cell, Table, TableColumnDefinition, TableRow } from '../table/types.ts';
import { newKubectlTabWriter, type TabWriter } from './tabwriter.ts';

export interface HumanPrintOptions {
  /** `-o wide`: show priority > 0 columns. */
  wide?: boolean;
  noHeaders?: boolean;
  /** `--show-labels` */
  showLabels?: boolean;
  /** `-L key1,key2`: one upper-cased column per key. */
  columnLabels?: string[];
  /** `-A` (or --all-namespaces) on a namespaced kind: NAMESPACE column first. */
  withNamespace?: boolean;
  /** Several kinds requested at once: prefix names with `kind.group/`. */
  withKind?: boolean;
}

/** `pod`, `deployment.apps`: schema.GroupKind.String() lower-cased. */
export function kindPrefix(resource: Pick<ResourceInfo, 'kind' | 'group'>): string {
  return (resource.group ? `${resource.kind}.${resource.group}` : resource.kind).toLowerCase();
}

interface RowMeta {
  namespace?: string;
  labels?: Record<string, string>;
}

function rowMeta(row: TableRow): RowMeta | undefined {
  const o = row.object as { metadata?: RowMeta } | undefined;
  return o && typeof o === 'object' && o.metadata ? o.metadata : undefined;
}

/** formatLabelHeaders: the last path segment of each key, upper-cased. */
function labelHeader(key: string): string {
  const parts = key.split('/');
  return parts[parts.length - 1].toUpperCase();
}

/** decorateTable: returns a new table with NAMESPACE / label columns added and names prefixed by kind. */
export function decorateTable(table: Table, opts: HumanPrintOptions, resource?: Pick<ResourceInfo, 'kind' | 'group'>): Table {
  const labelKeys = opts.columnLabels ?? [];
  let columns = table.columnDefinitions;
  const extra = (opts.withNamespace ? 1 : 0) + labelKeys.length + (opts.showLabels ? 1 : 0);
  const width = columns.length + extra;
  let nameColumn = -1;
  if (opts.withKind && resource) nameColumn = columns.findIndex((c) => c.format === 'name' && c.type === 'string');
  const plain = (name: string): TableColumnDefinition => ({ name, type: 'string', format: '', description: '', priority: 0 });
  if (extra > 0) {
    columns = [
      ...(opts.withNamespace ? [plain('Namespace')] : []),
      ...columns,
      ...labelKeys.map((k) => plain(labelHeader(k))),
      ...(opts.showLabels ? [plain('Labels')] : []),
    ];
  }
  const decorate = extra > 0 || nameColumn !== -1;
  const rows = !decorate
    ? table.rows
    : table.rows.map((row) => {
        let cells: Cell[] = [...row.cells];
        if (nameColumn !== -1) cells[nameColumn] = `${kindPrefix(resource!)}/${cells[nameColumn]}`;
        const m = rowMeta(row);
        if (!m) {
          // No row.object: the added columns stay empty.
          if (opts.withNamespace) cells = [null, ...cells];
          while (cells.length < width) cells.push(null);
          return { ...row, cells };
        }
        if (opts.withNamespace) cells = [m.namespace ?? '', ...cells];
        for (const k of labelKeys) cells.push(m.labels?.[k] ?? '');
        if (opts.showLabels) cells.push(formatLabels(m.labels));
        return { ...row, cells };
      });
  return { ...table, columnDefinitions: columns, rows };
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    if (cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0 && cell.indexOf('\f') < 0) return cell;
    // Truncate at the first newline, carriage return or form feed (tabwriter would treat them as line ends).
    return cell.slice(0, cell.search(/[\f\n\r]/)) + '...';
  }
  return String(cell);
}

/** printTable's lines, each as its cells' texts: headers (unless noHeaders) and rows. None at all when there are no rows. */
export function tableLines(table: Table, opts: HumanPrintOptions): string[][] {
  const shown: number[] = [];
  table.columnDefinitions.forEach((c, i) => {
    if (opts.wide || c.priority === 0) shown.push(i);
  });
  const lines: string[][] = [];
  if (!opts.noHeaders) {
    if (table.rows.length === 0) return lines;
    lines.push(shown.map((i) => table.columnDefinitions[i].name.toUpperCase()));
  }
  for (const row of table.rows) {
    const cells = row.cells;
    const texts: string[] = [];
    // A row shorter than the columns prints only the cells it has.
    for (const i of shown) {
      if (i >= cells.length) break;
      texts.push(cellText(cells[i]));
    }
    lines.push(texts);
  }
  return lines;
}

/** printTable: the tab-separated text of a (decorated) table. Nothing at all when there are no rows. */
export function tableText(table: Table, opts: HumanPrintOptions): string {
  let out = '';
  for (const texts of tableLines(table, opts)) out += `${texts.join('\t')}\n`;
  return out;
}

export interface GetOutput {
  stdout: string;
  stderr: string;
}

export interface GetSection {
  resource: ResourceInfo;
  table: Table;
}

export interface GetPrintOptions extends HumanPrintOptions {
  /** `-A` */
  allNamespaces?: boolean;
  /** The request namespace, for `No resources found in <ns> namespace.` */
  namespace: string;
  /** Print `kind/` prefixes; kubectl does so when more than one kind (or `all`) was asked for. */
  withKind?: boolean;
  ignoreNotFound?: boolean;
}

/** `kubectl get a,b,c`: one table per kind, in the order given, with a blank line between non-empty tables. */
export function printGet(sections: GetSection[], opts: GetPrintOptions): GetOutput {
  const w = newKubectlTabWriter();
  let stdout = '';
  let written = 0;
  let allNamespaced = !opts.allNamespaces;
  let first = true;
  for (const s of sections) {
    allNamespaced = allNamespaced && s.resource.namespaced;
    stdout += w.flush();
    w.resetRememberedWidths();
    const separate = !first && !opts.noHeaders && written > 0;
    first = false;
    const withNamespace = !!opts.allNamespaces && s.resource.namespaced;
    const lines = tableLines(decorateTable(s.table, { ...opts, withNamespace }, s.resource), opts);
    if (lines.length === 0) continue;
    if (separate) stdout += '\n';
    for (const texts of lines) w.writeLine(texts);
    written += lines.length;
  }
  stdout += w.flush();
  let stderr = '';
  if (stdout === '' && !opts.ignoreNotFound) {
    stderr = allNamespaced ? `No resources found in ${opts.namespace} namespace.\n` : 'No resources found\n';
  }
  return { stdout, stderr };
}

/** Exposed for watch printing, which keeps one writer and one header state for the whole stream. */
export type { TabWriter };
