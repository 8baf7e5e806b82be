/**
 * The two kinds of state file and how each is read. A snapshot is a header line (its resourceVersion and object
 * count) and one record per object; a journal is a header line (the snapshot it continues) and one record per
 * committed change. Both use the checksummed lines of records.ts; a snapshot of the earlier format (one JSON
 * document) and an earlier journal (unchecksummed lines, no header) are still read.
 */
import type { KubeObject } from '../api/types.ts';
import { frame, readLines, type DamagedLine } from './records.ts';

export interface SnapshotEntry {
  group: string;
  resource: string;
  object: KubeObject;
}

export interface JournalRecord extends SnapshotEntry {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
}

export interface SnapshotHeader {
  snapshot: 1;
  resourceVersion: number;
  objects: number;
}

export interface JournalHeader {
  journal: 1;
  /** The resourceVersion of the snapshot this journal continues. */
  base: number;
  /** How many objects that snapshot holds: what is lost if it is. */
  objects: number;
}

export interface SnapshotFile {
  name: string;
  present: boolean;
  header?: { resourceVersion: number; objects: number };
  entries: SnapshotEntry[];
  damaged: DamagedLine[];
  /** Why nothing in it could be read: an empty file, or one that is no snapshot at all. */
  unreadable?: 'empty' | 'garbage';
}

export interface JournalFile {
  name: string;
  present: boolean;
  header?: { base: number; objects: number };
  records: Array<{ line: number; record: JournalRecord }>;
  damaged: DamagedLine[];
  /** Written by an earlier kubelab: unchecksummed lines, no header. */
  legacy: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function isEntry(v: unknown): v is SnapshotEntry {
  if (!isObject(v) || typeof v.group !== 'string' || typeof v.resource !== 'string' || !isObject(v.object)) return false;
  const meta = v.object.metadata;
  return isObject(meta) && typeof meta.name === 'string';
}

function isRecord(v: unknown): v is JournalRecord {
  return isEntry(v) && isInt((v as { rv?: unknown }).rv) && ['ADDED', 'MODIFIED', 'DELETED'].includes(String((v as { type?: unknown }).type));
}

function isSnapshotHeader(v: unknown): v is SnapshotHeader {
  return isObject(v) && v.snapshot === 1 && isInt(v.resourceVersion) && isInt(v.objects);
}

function isJournalHeader(v: unknown): v is JournalHeader {
  return isObject(v) && v.journal === 1 && isInt(v.base) && isInt(v.objects);
}

/** `text` undefined: the file does not exist. */
export function parseSnapshot(name: string, text: string | undefined): SnapshotFile {
  const out: SnapshotFile = { name, present: text !== undefined, entries: [], damaged: [] };
  if (text === undefined) return out;
  if (text.trim() === '') return { ...out, unreadable: 'empty' };
  if (text.startsWith('{')) {
    // The earlier format: one JSON document { resourceVersion, objects: [...] }.
    try {
      const doc = JSON.parse(text) as { resourceVersion?: unknown; objects?: unknown };
      if (isInt(doc.resourceVersion) && Array.isArray(doc.objects) && doc.objects.every(isEntry)) {
        return { ...out, header: { resourceVersion: doc.resourceVersion, objects: doc.objects.length }, entries: doc.objects };
      }
    } catch {
      /* below */
    }
    return { ...out, unreadable: 'garbage' };
  }
  const lines = readLines(text, (v): v is SnapshotHeader | SnapshotEntry => isSnapshotHeader(v) || isEntry(v));
  out.damaged = lines.damaged;
  for (const { line, value } of lines.records) {
    if (isSnapshotHeader(value)) {
      if (line === 1) out.header = { resourceVersion: value.resourceVersion, objects: value.objects };
      else out.damaged.push({ line, torn: false });
    } else out.entries.push(value);
  }
  if (!out.header && out.entries.length === 0) out.unreadable = 'garbage';
  return out;
}

export function parseJournal(name: string, text: string | undefined): JournalFile {
  const out: JournalFile = { name, present: text !== undefined, records: [], damaged: [], legacy: false };
  if (text === undefined) return out;
  const lines = readLines(text, (v): v is JournalHeader | JournalRecord => isJournalHeader(v) || isRecord(v));
  out.damaged = lines.damaged;
  out.legacy = lines.legacy;
  for (const { line, value } of lines.records) {
    if (isJournalHeader(value)) {
      if (line === 1) out.header = { base: value.base, objects: value.objects };
      else out.damaged.push({ line, torn: false });
    } else out.records.push({ line, record: value });
  }
  return out;
}

export function snapshotText(resourceVersion: number, entries: SnapshotEntry[]): string {
  const header: SnapshotHeader = { snapshot: 1, resourceVersion, objects: entries.length };
  return frame(header) + entries.map((e) => frame(e)).join('');
}

export function journalHeaderLine(base: number, objects: number): string {
  const header: JournalHeader = { journal: 1, base, objects };
  return frame(header);
}

export function journalLine(r: JournalRecord): string {
  return frame({ rv: r.rv, group: r.group, resource: r.resource, type: r.type, object: r.object });
}
