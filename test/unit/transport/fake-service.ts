/** An in-memory HostService for transport tests only (never used by the app or e2e). */
import type { EventName, Events, HostService, Params, RequestName, ResultOf } from '../../../src-main/contract/contract.ts';

export class FakeService implements HostService {
  readonly calls: Array<{ name: RequestName; params: unknown }> = [];
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private nextTerminal = 1;
  /** Output the fake terminal writes as soon as it opens (before the open answer). */
  greeting = '$ ';

  async handle<N extends RequestName>(name: N, params: Params<N>): Promise<ResultOf<N>> {
    this.calls.push({ name, params });
    switch (name) {
      case 'node.add': {
        const p = params as Params<'node.add'>;
        if (p.name === 'bad') throw Object.assign(new Error('nodes "bad" already exists'), { reason: 'AlreadyExists' });
        return { name: p.name ?? 'worker3' } as ResultOf<N>;
      }
      case 'terminal.open': {
        const id = `t${this.nextTerminal++}`;
        this.emit('terminal.data', { id, data: this.greeting });
        return { id, title: 'master' } as ResultOf<N>;
      }
      case 'terminal.input': {
        const p = params as Params<'terminal.input'>;
        this.emit('terminal.data', { id: p.id, data: `echo:${p.data}` });
        return null as ResultOf<N>;
      }
      default:
        return null as ResultOf<N>;
    }
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}

export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
