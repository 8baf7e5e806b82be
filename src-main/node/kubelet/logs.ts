/** One container instance's log, as containerd keeps it: timestamped lines per stream, followable. */
import type { LogOptions } from './types.ts';

export interface LogLine {
  time: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Lines kept per container; trimmed in steps of TRIM_SLACK so a busy log does not move 10,000 lines per line. */
const MAX_LINES = 10_000;
const TRIM_SLACK = 1_000;

export class ContainerLog {
  private lines: LogLine[] = [];
  private followers = new Set<{ onLine: (l: string) => void; onEnd: () => void; timestamps: boolean }>();
  private closed = false;

  append(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > MAX_LINES + TRIM_SLACK) this.lines.splice(0, this.lines.length - MAX_LINES);
    for (const f of this.followers) f.onLine(format(line, f.timestamps));
  }

  /** The container stopped: followers see the end of the stream. */
  close(): void {
    this.closed = true;
    for (const f of this.followers) f.onEnd();
    this.followers.clear();
  }

  render(opts: LogOptions): string {
    let lines = this.lines.length > MAX_LINES ? this.lines.slice(-MAX_LINES) : this.lines;
    if (opts.sinceTime !== undefined) lines = lines.filter(l => l.time >= opts.sinceTime!);
    if (opts.tailLines !== undefined && opts.tailLines >= 0) lines = opts.tailLines === 0 ? [] : lines.slice(-opts.tailLines);
    let text = lines.map(l => format(l, !!opts.timestamps) + '\n').join('');
    if (opts.limitBytes !== undefined) text = Buffer.from(text).subarray(0, opts.limitBytes).toString();
    return text;
  }

  follow(onLine: (l: string) => void, onEnd: () => void, timestamps: boolean): () => void {
    if (this.closed) {
      onEnd();
      return () => {};
    }
    const f = { onLine, onEnd, timestamps };
    this.followers.add(f);
    return () => this.followers.delete(f);
  }
}

/** RFC3339Nano as kubectl logs --timestamps prints it (containerd's nanosecond times). */
function format(l: LogLine, timestamps: boolean): string {
  if (!timestamps) return l.text;
  const iso = new Date(l.time).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z ${l.text}`;
}
