/**
 * The line format of the state files: each record is `<crc32 as 8 hex digits> <JSON>\n`, the checksum over the
 * JSON's UTF-8 bytes (etcd's WAL checksums every record the same way). Reading sorts the lines of a file into good
 * records and damaged ones, telling a torn last line (a write cut short) from damage in the middle. Lines without a
 * checksum that start with `{` are records of the earlier, unchecksummed format and are still read.
 */
import { crc32 } from 'node:zlib';

export function checksum(json: string): string {
  return crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0');
}

/** One record as it is written: checksum, space, JSON, newline. */
export function frame(value: unknown): string {
  const json = JSON.stringify(value);
  return `${checksum(json)} ${json}\n`;
}

export interface DamagedLine {
  /** 1-based line number in the file. */
  line: number;
  /** The last line, without its newline: a write that was cut short rather than damage in the middle. */
  torn: boolean;
  /** What the line claims to be when its JSON still parses (a checksum mismatch): a hint for the report. */
  claimed?: unknown;
}

export interface ReadLines<T> {
  records: Array<{ line: number; value: T }>;
  damaged: DamagedLine[];
  /** Some line was in the unchecksummed format. */
  legacy: boolean;
}

const FRAMED = /^([0-9a-f]{8}) (.*)$/s;

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Splits `text` into records; `accept` rejects JSON that is well formed but not a record of the expected shape. */
export function readLines<T>(text: string, accept: (v: unknown) => v is T): ReadLines<T> {
  const out: ReadLines<T> = { records: [], damaged: [], legacy: false };
  const lines = text.split('\n');
  // The split leaves one more string after the last newline: empty in a file whose every line is whole.
  const last = lines.length - 1;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw === '' && i === last) continue;
    const torn = i === last;
    const damaged = (claimed?: unknown) => out.damaged.push({ line: i + 1, torn, ...(claimed !== undefined ? { claimed } : {}) });
    if (raw.trim() === '') {
      if (raw !== '') damaged();
      continue;
    }
    const m = FRAMED.exec(raw);
    if (m) {
      const p = parse(m[2]!);
      if (checksum(m[2]!) !== m[1]) damaged(p.ok ? p.value : undefined);
      else if (!p.ok || !accept(p.value)) damaged();
      else out.records.push({ line: i + 1, value: p.value });
      continue;
    }
    if (raw.startsWith('{')) {
      const p = parse(raw);
      if (p.ok && accept(p.value)) {
        out.legacy = true;
        out.records.push({ line: i + 1, value: p.value });
        continue;
      }
    }
    damaged();
  }
  return out;
}
