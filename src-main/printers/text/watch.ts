/**
 * `kubectl get -w`: one HumanReadablePrinter and one tab writer for the whole stream. Headers print once (again
 * only if the columns change); watch tables without columnDefinitions reuse the last ones; widths only grow
 * (RememberWidths). `--output-watch-events` adds an EVENT column with kubectl's padded event names.
 */
import type { ResourceInfo } from '../../api/resources.ts';
import type { Table, TableColumnDefinition } from '../table/types.ts';
import { decorateTable, tableText, type HumanPrintOptions } from './human.ts';
import { newKubectlTabWriter } from './tabwriter.ts';

const FORMATTED_EVENT_TYPE: Record<string, string> = {
  ADDED: 'ADDED   ',
  MODIFIED: 'MODIFIED',
  DELETED: 'DELETED ',
  ERROR: 'ERROR   ',
};

export function formatEventType(type: string): string {
  return FORMATTED_EVENT_TYPE[type] ?? type;
}

function sameColumns(a: TableColumnDefinition[], b: TableColumnDefinition[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface WatchPrintOptions extends HumanPrintOptions {
  /** `--output-watch-events` */
  outputWatchEvents?: boolean;
}

export class WatchPrinter {
  private readonly writer = newKubectlTabWriter();
  private printedHeaders = false;
  private lastColumns: TableColumnDefinition[] = [];

  constructor(
    private readonly resource: ResourceInfo,
    private readonly opts: WatchPrintOptions,
  ) {}

  /**
   * Prints one Table (the initial list, or one watch event's table) and returns the text kubectl writes
   * for it (it flushes after the list and after every event). `eventType` is the watch event type; the
   * initial list counts as ADDED when --output-watch-events is on.
   */
  print(table: Table, eventType?: string): string {
    const local: HumanPrintOptions = { ...this.opts };
    let columns = table.columnDefinitions;
    if (this.printedHeaders && (columns.length === 0 || sameColumns(columns, this.lastColumns))) local.noHeaders = true;
    if (columns.length === 0) columns = this.lastColumns;
    else if (!sameColumns(columns, this.lastColumns)) {
      this.lastColumns = columns;
      this.printedHeaders = false;
    }
    if (table.rows.length > 0) this.printedHeaders = true;
    let decorated = decorateTable({ ...table, columnDefinitions: columns }, local, this.resource);
    const type = eventType ?? (this.opts.outputWatchEvents ? 'ADDED' : undefined);
    if (this.opts.outputWatchEvents && type) {
      decorated = {
        ...decorated,
        columnDefinitions: [{ name: 'Event', type: 'string', format: '', description: '', priority: 0 }, ...decorated.columnDefinitions],
        rows: decorated.rows.map((r) => ({ ...r, cells: [formatEventType(type), ...r.cells] })),
      };
    }
    this.writer.write(tableText(decorated, local));
    return this.writer.flush();
  }
}
