/**
 * kubectl describe's PrefixWriter over tabbedString's tab writer (minwidth 0, padding 2), and the helpers every
 * describer shares: label/annotation/toleration blocks and the Events table (describe.go).
 */
import type { Event, Toleration } from 'kubernetes-types/core/v1';
import { timestampMs, translateTimestampSince } from '../duration.ts';
import { newDescribeTabWriter, type TabWriter } from '../text/tabwriter.ts';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

export class PrefixWriter {
  private readonly tw: TabWriter = newDescribeTabWriter();
  private text = '';

  /** Writes `s` after 2×level spaces (the Go format string is already applied by the caller). */
  write(level: number, s: string): void {
    this.tw.write(' '.repeat(level * 2) + s);
  }

  writeLine(s: string): void {
    this.tw.write(s + '\n');
  }

  flush(): void {
    this.text += this.tw.flush();
  }

  /** tabbedString: flush and return everything written. */
  done(): string {
    this.flush();
    return this.text;
  }
}

/** `Go %v` of a string-ish value. */
export function v(x: unknown): string {
  return x === undefined || x === null ? '' : String(x);
}

export function printLabelsMultilineWithIndent(w: PrefixWriter, initialIndent: string, title: string, innerIndent: string, labels: Record<string, string> | undefined, skip: Set<string> = new Set()): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).filter((k) => !skip.has(k)).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((k, i) => {
    if (i !== 0) w.write(LEVEL_0, initialIndent + innerIndent);
    w.write(LEVEL_0, `${k}=${labels![k]}\n`);
  });
}

export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined): void {
  printLabelsMultilineWithIndent(w, '', title, '\t', labels);
}

const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

function shorten(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + '...' : s;
}

export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => !SKIP_ANNOTATIONS.has(k)).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((k, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const value = annotations![k].replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else w.write(LEVEL_0, `${k}: ${value}\n`);
  });
}

export function printTolerationsMultilineWithIndent(w: PrefixWriter, initialIndent: string, title: string, innerIndent: string, tolerations: Toleration[] | undefined): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const list = [...(tolerations ?? [])];
  if (list.length === 0) {
    w.writeLine('<none>');
    return;
  }
  list.sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  list.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, initialIndent + innerIndent);
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(LEVEL_0, s + '\n');
  });
}

/** DescribeEvents: sorted by lastTimestamp; `Age` is `2m (x3 over 5m)` for repeated events. */
export function describeEvents(events: Event[] | undefined, w: PrefixWriter, now: number): void {
  if (events === undefined) return;
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const sorted = [...events].sort((a, b) => (timestampMs(a.lastTimestamp) ?? 0) - (timestampMs(b.lastTimestamp) ?? 0));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    let first = translateTimestampSince(e.eventTime, now);
    if (timestampMs(e.eventTime) === undefined) first = translateTimestampSince(e.firstTimestamp, now);
    let interval: string;
    if (e.series) interval = `${translateTimestampSince(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${translateTimestampSince(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    else interval = first;
    const source = e.source?.component || e.reportingComponent || '';
    w.write(LEVEL_1, `${v(e.type)}\t${v(e.reason)}\t${interval}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
}

/** printController: `Kind/name` of the controlling owner reference. */
export function controlledBy(meta: { ownerReferences?: { controller?: boolean; kind: string; name: string }[] } | undefined): string {
  const ref = meta?.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}
