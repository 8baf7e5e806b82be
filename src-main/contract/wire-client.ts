/**
 * The client half of the wire protocol, shared by the preload (Electron IPC) and the browser's WebSocket transport so
 * both behave the same: request ids and Result envelopes, reference-counted subscriptions, re-subscribing and
 * re-attaching terminals after a reconnect. Pure: no DOM, no Node, no Electron.
 */
import type {
  ClientMessage,
  EventName,
  Events,
  HostApi,
  Params,
  RequestName,
  ResultOf,
  ServerMessage,
} from './contract.ts';

/** A request answered with `{ ok: false }`, or lost with its connection. */
export class HostError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.name = 'HostError';
    this.code = code;
  }
}

export interface WireClient {
  api: HostApi;
  /** Feed every ServerMessage from the link here. */
  receive(message: ServerMessage): void;
  /** The link is (again) up: flush queued requests, re-subscribe, re-attach open terminals. */
  connected(): void;
  /** The link dropped: requests in flight fail; new ones wait for `connected()`. */
  disconnected(reason: string): void;
}

interface Pending {
  name: RequestName;
  params: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const MAX_QUEUED_REQUESTS = 1000;

export function createWireClient(send: (message: ClientMessage) => void, startConnected = false): WireClient {
  let up = startConnected;
  let nextId = 1;
  const inFlight = new Map<number, Pending>();
  const queued: Pending[] = [];
  const handlers = new Map<EventName, Set<(payload: unknown) => void>>();
  const openTerminals = new Set<string>();

  function transmit(pending: Pending): void {
    const id = nextId++;
    inFlight.set(id, pending);
    send({ type: 'request', id, name: pending.name, params: pending.params });
  }

  function track(name: RequestName, params: unknown, value: unknown): void {
    if (name === 'terminal.open') openTerminals.add((value as { id: string }).id);
    if (name === 'terminal.close') openTerminals.delete((params as { id: string }).id);
  }

  const api: HostApi = {
    request<N extends RequestName>(name: N, params: Params<N>): Promise<ResultOf<N>> {
      return new Promise<ResultOf<N>>((resolve, reject) => {
        const pending: Pending = {
          name,
          params,
          resolve: (value) => resolve(value as ResultOf<N>),
          reject,
        };
        if (up) transmit(pending);
        else if (queued.length >= MAX_QUEUED_REQUESTS) reject(new HostError('not connected to kubelab', 'Disconnected'));
        else queued.push(pending);
      });
    },
    subscribe<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void {
      let set = handlers.get(event);
      if (!set) {
        set = new Set();
        handlers.set(event, set);
      }
      const wrapped = handler as (payload: unknown) => void;
      set.add(wrapped);
      if (set.size === 1 && up) send({ type: 'subscribe', event });
      return () => {
        const current = handlers.get(event);
        if (!current?.delete(wrapped)) return;
        if (current.size === 0) {
          handlers.delete(event);
          if (up) send({ type: 'unsubscribe', event });
        }
      };
    },
  };

  return {
    api,
    receive(message) {
      if (message.type === 'response') {
        const pending = inFlight.get(message.id);
        if (!pending) return;
        inFlight.delete(message.id);
        const result = message.result;
        if (result.ok) {
          track(pending.name, pending.params, result.value);
          pending.resolve(result.value);
        } else {
          pending.reject(new HostError(result.error.message, result.error.code));
        }
        return;
      }
      if (message.event === 'terminal.exit') openTerminals.delete((message.payload as { id: string }).id);
      for (const handler of [...(handlers.get(message.event) ?? [])]) {
        try {
          handler(message.payload);
        } catch (error) {
          console.error(`kubelab: handler for ${message.event} failed`, error);
        }
      }
    },
    connected() {
      up = true;
      for (const event of handlers.keys()) send({ type: 'subscribe', event });
      if (openTerminals.size > 0) send({ type: 'attach', terminals: [...openTerminals] });
      for (const pending of queued.splice(0)) transmit(pending);
    },
    disconnected(reason) {
      up = false;
      for (const pending of inFlight.values()) pending.reject(new HostError(reason, 'Disconnected'));
      inFlight.clear();
    },
  };
}
