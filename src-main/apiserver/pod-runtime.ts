/** What the API server needs from the node side to serve pods/log, pods/exec and pods/portforward. */
import type { Duplex, Readable, Writable } from 'node:stream';

export interface LogOptions {
  container: string;
  follow?: boolean;
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
  sinceSeconds?: number;
  limitBytes?: number;
}

export interface TerminalSize {
  width: number;
  height: number;
}

export interface ExecStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  tty?: boolean;
  /** Terminal size changes from the client (tty sessions). */
  resize?: AsyncIterable<TerminalSize>;
}

export interface PodRuntime {
  /** The container's log as text; a followed log stays open until the container stops or the stream is destroyed. */
  logs(namespace: string, name: string, opts: LogOptions): Readable | Promise<Readable>;
  /** Runs argv in the container; resolves with the exit code. */
  exec(namespace: string, name: string, container: string, argv: string[], streams: ExecStreams): Promise<number>;
  /** A byte stream to the pod's port. */
  portForward(namespace: string, name: string, port: number): Duplex;
}
