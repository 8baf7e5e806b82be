/**
 * The contract between the kubelet and a simulated container image. An image is a program written in TypeScript;
 * the kubelet starts it with a ContainerContext and talks to it through RunningProgram. Nothing here knows about
 * threads or sockets: the network layer calls handleHttp/handleTcp/handleUdp on whatever portFor() returns.
 */
import type { UserlandFacts } from './userland.ts';
import type { Clock } from '../../clock/clock.ts';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type Signal = 'SIGTERM' | 'SIGKILL';
export type Stream = 'stdout' | 'stderr';

export interface HttpRequest {
  method: string;
  /** Path plus query string, as sent on the request line. */
  path: string;
  /** As on the request line: `HTTP/1.1`. */
  httpVersion: string;
  headers: Array<[string, string]>;
  body: string;
}

export interface HttpResponse {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body: string;
}

export interface Connection {
  clientIP: string;
  clientPort: number;
  localPort: number;
}

/** What an in-container HTTP client (busybox wget) uses to reach the network; injected by whoever wires the node. */
export type HttpFetch = (url: string, init?: { method?: string; headers?: Array<[string, string]>; body?: string }) => Promise<HttpResponse>;

/** Hooks for system images whose real work is done by other parts of kubelab (CoreDNS answering, kube-proxy). */
export interface ContainerServices {
  fetch?: HttpFetch;
  /** getaddrinfo inside the container: /etc/hosts, then cluster DNS through /etc/resolv.conf. */
  lookup?: (name: string) => Promise<{ ok: true; ip: string } | { ok: false; error: 'notfound' | 'timeout' }>;
  /** Answers one DNS message (wire format); used by the coredns image for 53/UDP and 53/TCP. */
  dns?: (query: Uint8Array, conn: Connection) => Uint8Array | Promise<Uint8Array>;
}

export interface ContainerContext {
  podName: string;
  namespace: string;
  /** The pod's hostname (spec.hostname or the pod name). */
  hostname: string;
  podIP: string;
  nodeName: string;
  containerName: string;
  env: Record<string, string>;
  /** Entrypoint override (container.command) or undefined to use the image's. */
  command?: string[];
  args?: string[];
  clock: Clock;
  /** The container's files: /etc/hosts, /etc/resolv.conf, /etc/hostname, plus whatever the program writes. */
  files: Map<string, string>;
  services: ContainerServices;
  log(stream: Stream, line: string): void;
  /** The main process ended; the kubelet records the exit code. */
  exit(code: number): void;
}

export interface ExecIO {
  stdout(data: string): void;
  stderr(data: string): void;
  stdin?: string;
}

export interface RunningProgram {
  listens(): Array<{ port: number; protocol: Protocol }>;
  handleHttp?(req: HttpRequest, conn: Connection): HttpResponse | Promise<HttpResponse>;
  /** Plain TCP: one request payload in, one reply out (enough for the lab's protocols). */
  handleTcp?(data: Uint8Array, conn: Connection): Uint8Array | Promise<Uint8Array>;
  handleUdp?(data: Uint8Array, conn: Connection): Uint8Array | Promise<Uint8Array>;
  /** Runs a command inside the container (kubectl exec, exec probes); resolves to the exit code. */
  exec(argv: string[], io: ExecIO): Promise<number>;
  /** SIGTERM: the program decides (it may call ctx.exit); SIGKILL: the kubelet records 137 whatever happens. */
  stop(signal: Signal): void;
}

export interface ImageProgram {
  start(ctx: ContainerContext): RunningProgram;
}

/** One image in the offline catalogue. */
export interface ImageEntry {
  /** Fully qualified repository, e.g. docker.io/library/nginx. */
  repository: string;
  /** Tags this program answers to; '*' matches any tag. */
  tags: string[];
  /** Content digest (sha256:...) reported as imageID. */
  digest: string;
  /** Unpacked size in bytes, printed in the Pulled event. */
  sizeBytes: number;
  /** Image is on every node from the start (system images, as kind preloads them). */
  preloaded?: boolean;
  program: ImageProgram;
}

/**
 * What `kubectl exec` finds in an image besides its main program: the shell at /bin/sh (busybox ash, Debian's dash,
 * or none for distroless/scratch images) and its userland (the programs on its PATH and what the shell shows).
 */
export interface ImageTools {
  shell: 'ash' | 'dash' | null;
  /** Absent: a distroless or scratch image, nothing to run but its own binary. */
  userland?: UserlandFacts;
}
