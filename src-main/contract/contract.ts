/**
 * The one contract between the host (Electron main or `kubelab serve`) and the renderer. Both transports (Electron
 * IPC through the preload, WebSocket in serve mode) carry exactly these messages.
 */
import type { ClusterSnapshot, ConnectionTrace, NatRuleView, ServiceRules, TrafficFrame } from './views.ts';
import type { CheckResult, LessonState, LessonSummary, LessonView, PackFile, PageView, ProgressExport, StartResult } from './lessons.ts';

export type ClockSpeed = 0 | 1 | 10 | 60;
/** 'laptop': the learner's own machine outside the cluster, on the node network (192.168.56.1). */
export type TerminalKind = 'cluster' | 'pod' | 'host' | 'laptop';
export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

/** Request name -> params and result. Every request answers with a Result envelope. */
export interface Requests {
  'cluster.snapshot': { params: Record<string, never>; result: ClusterSnapshot };
  'cluster.reset': { params: Record<string, never>; result: null };
  'clock.setSpeed': { params: { speed: ClockSpeed }; result: null };
  'loadBalancer.setEnabled': { params: { enabled: boolean }; result: null };
  'node.add': { params: { name?: string }; result: { name: string } };
  'node.stop': { params: { name: string }; result: null };
  'node.start': { params: { name: string }; result: null };
  'node.remove': { params: { name: string }; result: null };
  'node.natTable': { params: { name: string }; result: { rules: NatRuleView[]; text: string; conntrack: string } };
  /** The iptables rules kube-proxy wrote for one Service on each node (`iptables-save -c` lines), with counters. */
  'service.rules': { params: { namespace: string; name: string }; result: ServiceRules };
  'pod.delete': { params: { namespace: string; name: string }; result: null };
  'object.yaml': { params: ObjectRef; result: string };
  'object.describe': { params: ObjectRef; result: string };
  /** `kubectl get <kind> -A` as text, for the resource list. */
  'resources.list': { params: { kind: string; namespace?: string }; result: { columns: string[]; rows: string[][] } };
  'trace.get': { params: { id: number }; result: ConnectionTrace | null };
  'terminal.open': { params: { kind: TerminalKind; node?: string; pod?: ObjectRef; cols: number; rows: number }; result: { id: string; title: string } };
  'terminal.input': { params: { id: string; data: string }; result: null };
  'terminal.resize': { params: { id: string; cols: number; rows: number }; result: null };
  'terminal.close': { params: { id: string }; result: null };
  /**
   * Flow control: the renderer acknowledges data it has written to xterm (counted in UTF-16 code units of
   * `terminal.data` payloads). Answered by the transport itself, per connection: above TERMINAL_HIGH_WATERMARK
   * unacknowledged units the transport holds further data for that terminal until acks bring it under
   * TERMINAL_LOW_WATERMARK. The transport also forwards the ack to the HostService, which may pause the producer.
   */
  'terminal.ack': { params: { id: string; bytes: number }; result: null };
  /**
   * Lessons (src-main/lessons, docs/lessons.md). `lang` picks the texts' language (and is remembered); a lesson
   * without it falls back to its own language. `lesson.changed` follows every change, whoever made it (the UI, the
   * shell's `kubelab lesson`, the outside CLI).
   */
  'lesson.list': { params: { lang?: string }; result: LessonSummary[] };
  'lesson.get': { params: { id: string; lang?: string }; result: LessonView };
  /** Resets the cluster and runs the intro's and first step's scripts; `runForeground: false` leaves foreground scripts to the UI. */
  'lesson.start': { params: { id: string; lang?: string; runForeground?: boolean }; result: StartResult };
  'lesson.status': { params: { lang?: string }; result: LessonState | null };
  /** A page of the running lesson: 0 the intro, 1..total the steps, total + 1 the finish; the current step by default. */
  'lesson.page': { params: { step?: number; lang?: string }; result: PageView };
  'lesson.check': { params: { lang?: string }; result: CheckResult };
  'lesson.next': { params: { lang?: string }; result: LessonState };
  'lesson.previous': { params: { lang?: string }; result: LessonState };
  /** Starts the running lesson again from its beginning (its starting state: cluster reset, background scripts). */
  'lesson.reset': { params: { lang?: string; runForeground?: boolean }; result: StartResult };
  'lesson.progress': { params: { learner?: string }; result: ProgressExport };
  /** A folder or .zip on this computer ("Open lesson pack…"). */
  'lesson.import': { params: { path: string; lang?: string }; result: LessonSummary[] };
  /**
   * "Open lesson pack…" from a page that has no paths (a browser against `kubelab serve`): the pack's files as the
   * file picker read them, one .zip or a folder's files with their relative paths; installed as lesson.import does.
   */
  'lesson.importFiles': { params: { files: PackFile[]; lang?: string }; result: LessonSummary[] };
  'lesson.setLanguage': { params: { lang: string }; result: null };
}

/** Event name -> payload, pushed by the host to subscribers. */
export interface Events {
  'cluster.changed': ClusterSnapshot;
  'traffic.frame': TrafficFrame;
  'terminal.data': { id: string; data: string };
  'terminal.exit': { id: string; code: number };
  'lesson.changed': LessonState | null;
}

export type RequestName = keyof Requests;
export type EventName = keyof Events;
export type Params<N extends RequestName> = Requests[N]['params'];
export type ResultOf<N extends RequestName> = Requests[N]['result'];

export type Result<T> = { ok: true; value: T } | { ok: false; error: { message: string; code?: string } };

export const TERMINAL_HIGH_WATERMARK = 100_000;
export const TERMINAL_LOW_WATERMARK = 20_000;

/**
 * Wire messages (WebSocket JSON frames; Electron IPC passes the same objects on channel IPC_CHANNEL).
 * `terminal.data` / `terminal.exit` reach only connections that own the terminal: the one that opened it, or one that
 * `attach`es to it (a reconnecting client re-attaches to the terminals it had open).
 */
export type ClientMessage =
  | { type: 'request'; id: number; name: RequestName; params: unknown }
  | { type: 'subscribe'; event: EventName }
  | { type: 'unsubscribe'; event: EventName }
  | { type: 'attach'; terminals: string[] };

export const IPC_CHANNEL = 'kubelab:wire';
/** Sent by the preload once per page load: the main side starts a fresh connection for the new page. */
export const IPC_HELLO_CHANNEL = 'kubelab:hello';

export type ServerMessage =
  | { type: 'response'; id: number; result: Result<unknown> }
  | { type: 'event'; event: EventName; payload: unknown };

/** The API the preload exposes and the browser transport implements: the renderer codes against this only. */
export interface HostApi {
  request<N extends RequestName>(name: N, params: Params<N>): Promise<ResultOf<N>>;
  subscribe<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void;
}

/** What the host side implements once; both transports dispatch into it. */
export interface HostService {
  handle<N extends RequestName>(name: N, params: Params<N>): Promise<ResultOf<N>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
