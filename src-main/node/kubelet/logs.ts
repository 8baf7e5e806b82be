/** One container instance's log, as containerd keeps it: timestamped lines per stream, followable. */
import type { LogOptions } from './types.ts';

export interface LogLine {
  time: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export class ContainerLog {
  private lines: LogLine[] = [];
  private followers = new Set<{ onLine: (l: string) => void; onEnd: () => void; timestamps: boolean }>();
  private closed = false;

  append(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > 10_000) this.lines.splice(0, this.lines.length - 10_000);
    for (const f of this.followers) f.onLine(format(line, f.timestamps));
  }

  /** The container stopped: followers see the end of the stream. */
  close(): void {
    this.closed = true;
    for (const f of this.followers) f.onEnd();
    this.followers.clear();
  }

  render(opts: LogOptions): string {
    let lines = this.lines;
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
