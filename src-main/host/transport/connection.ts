/**
 * One client connection (a browser tab's WebSocket, or the Electron window's IPC link), transport-agnostic: it
 * answers ClientMessages from a HostService and pushes ServerMessages through `send`. Both transports wrap this, so
 * they cannot drift apart.
 */
import type {
  ClientMessage,
  EventName,
  Events,
  HostService,
  RequestName,
  Result,
  ServerMessage,
} from '../../contract/contract.ts';
import type { FlowSink } from './terminal-flow.ts';
import type { TerminalOwner, TerminalRouter } from './terminal-router.ts';

const REQUEST_NAMES: ReadonlySet<string> = new Set<RequestName>([
  'cluster.snapshot', 'cluster.reset', 'clock.setSpeed', 'loadBalancer.setEnabled', 'node.add', 'node.stop',
  'node.start', 'node.remove', 'node.natTable', 'pod.delete', 'object.yaml', 'object.describe', 'resources.list',
  'trace.get', 'terminal.open', 'terminal.input', 'terminal.resize', 'terminal.close', 'terminal.ack', 'service.rules',
  'lesson.list', 'lesson.get', 'lesson.start', 'lesson.status', 'lesson.page', 'lesson.check', 'lesson.next',
  'lesson.previous', 'lesson.reset', 'lesson.progress', 'lesson.import', 'lesson.importFiles', 'lesson.setLanguage',
]);
const BROADCAST_EVENTS: ReadonlySet<string> = new Set<EventName>(['cluster.changed', 'traffic.frame', 'lesson.changed']);
const TERMINAL_EVENTS: ReadonlySet<string> = new Set<EventName>(['terminal.data', 'terminal.exit']);

export interface ConnectionOptions {
  service: HostService;
  router: TerminalRouter;
  send(message: ServerMessage): void;
  /** Whether an event may be skipped now (e.g. a slow socket); only `traffic.frame` is ever skipped. */
  congested?(): boolean;
}

export function toErrorResult(error: unknown): Result<never> {
  if (error instanceof Error) {
    const withCode = error as Error & { reason?: unknown; code?: unknown };
    const code =
      typeof withCode.reason === 'string' ? withCode.reason
      : typeof withCode.code === 'string' ? withCode.code
      : error.name !== 'Error' ? error.name
      : undefined;
    return { ok: false, error: code ? { message: error.message, code } : { message: error.message } };
  }
  return { ok: false, error: { message: String(error) } };
}

export class Connection implements TerminalOwner {
  readonly sink: FlowSink;
  private readonly subscriptions = new Map<EventName, () => void>();
  private closed = false;

  constructor(private readonly options: ConnectionOptions) {
    this.sink = {
      data: (payload) => this.push('terminal.data', payload),
      exit: (payload) => this.push('terminal.exit', payload),
    };
  }

  /** Handle one message from the client; malformed messages are answered (requests) or ignored. */
  async receive(raw: unknown): Promise<void> {
    if (this.closed || typeof raw !== 'object' || raw === null) return;
    const message = raw as ClientMessage;
    switch (message.type) {
      case 'request':
        await this.request(message.id, message.name, message.params);
        return;
      case 'subscribe':
        this.subscribe(message.event);
        return;
      case 'unsubscribe':
        this.subscriptions.get(message.event)?.();
        this.subscriptions.delete(message.event);
        return;
      case 'attach':
        if (Array.isArray(message.terminals)) {
          for (const id of message.terminals) if (typeof id === 'string') this.options.router.claim(id, this);
        }
        return;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.subscriptions.values()) off();
    this.subscriptions.clear();
    this.options.router.release(this);
  }

  private async request(id: unknown, name: unknown, params: unknown): Promise<void> {
    if (typeof id !== 'number') return;
    if (typeof name !== 'string' || !REQUEST_NAMES.has(name)) {
      this.reply(id, { ok: false, error: { message: `unknown request ${JSON.stringify(name)}`, code: 'BadRequest' } });
      return;
    }
    const requestName = name as RequestName;
    const p = (params ?? {}) as Record<string, unknown>;
    if (requestName === 'terminal.ack') {
      // Answered here at once (acks are frequent); the service hears of them too, to pause a producer if it wants.
      this.options.router.flowOf(String(p.id), this)?.ack(Number(p.bytes));
      this.reply(id, { ok: true, value: null });
      this.options.service.handle('terminal.ack', p as never).catch(() => undefined);
      return;
    }
    let result: Result<unknown>;
    try {
      const value = await this.options.service.handle(requestName, p as never);
      result = { ok: true, value: value ?? null };
    } catch (error) {
      result = toErrorResult(error);
    }
    this.reply(id, result);
    if (!result.ok) return;
    // After the answer, so the client knows the id before the terminal's first (parked) output reaches it.
    if (requestName === 'terminal.open' && !this.closed) {
      this.options.router.claim((result.value as { id: string }).id, this);
    }
    if (requestName === 'terminal.close') this.options.router.forget(String(p.id));
  }

  private subscribe(event: unknown): void {
    if (typeof event !== 'string' || this.subscriptions.has(event as EventName)) return;
    if (TERMINAL_EVENTS.has(event)) {
      // Routed per terminal by the TerminalRouter; the subscription only records interest.
      this.subscriptions.set(event as EventName, () => undefined);
      return;
    }
    if (!BROADCAST_EVENTS.has(event)) return;
    const name = event as 'cluster.changed' | 'traffic.frame' | 'lesson.changed';
    const off = this.options.service.on(name, (payload) => this.push(name, payload));
    this.subscriptions.set(name, off);
  }

  private push<E extends EventName>(event: E, payload: Events[E]): void {
    if (this.closed) return;
    if (event === 'traffic.frame' && this.options.congested?.()) return;
    this.safeSend({ type: 'event', event, payload });
  }

  private reply(id: number, result: Result<unknown>): void {
    if (!this.closed) this.safeSend({ type: 'response', id, result });
  }

  private safeSend(message: ServerMessage): void {
    try {
      this.options.send(message);
    } catch (error) {
      console.error('kubelab transport: send failed', error);
    }
  }
}
