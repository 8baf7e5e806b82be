/**
 * The browser's transport in serve mode: a HostApi over a WebSocket to the host, reconnecting with backoff. While it
 * is down, requests wait (and fail if they were in flight); on reconnect it re-subscribes and re-attaches terminals.
 */
import type { HostApi, ServerMessage } from '../../../src-main/contract/contract.ts';
import { createWireClient } from '../../../src-main/contract/wire-client.ts';

export type LinkStatus = 'connecting' | 'open' | 'closed';

/** The subset of the WebSocket class we use, so Node tests can pass the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface WsClientOptions {
  url: string;
  createSocket?: WebSocketFactory;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface WsHost {
  api: HostApi;
  readonly status: LinkStatus;
  onStatus(listener: (status: LinkStatus) => void): () => void;
  close(): void;
}

const OPEN = 1;

export function connectWebSocket(options: WsClientOptions): WsHost {
  const createSocket: WebSocketFactory =
    options.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;
  let socket: WebSocketLike | null = null;
  let status: LinkStatus = 'connecting';
  let delay = minDelay;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  const listeners = new Set<(status: LinkStatus) => void>();

  const client = createWireClient((message) => {
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(message));
  });

  const setStatus = (next: LinkStatus): void => {
    if (status === next) return;
    status = next;
    for (const listener of [...listeners]) listener(next);
  };

  const open = (): void => {
    retry = null;
    if (stopped) return;
    setStatus('connecting');
    const ws = createSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      delay = minDelay;
      setStatus('open');
      client.connected();
    };
    ws.onmessage = (event) => {
      if (socket !== ws || typeof event.data !== 'string') return;
      try {
        client.receive(JSON.parse(event.data) as ServerMessage);
      } catch (error) {
        console.error('kubelab: bad message from host', error);
      }
    };
    ws.onerror = () => undefined; // onclose follows
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      client.disconnected('connection to kubelab lost');
      setStatus('closed');
      if (stopped) return;
      retry = setTimeout(open, delay);
      delay = Math.min(maxDelay, delay * 2);
    };
  };
  open();

  return {
    api: client.api,
    get status() {
      return status;
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      stopped = true;
      if (retry) clearTimeout(retry);
      socket?.close(1000, 'closed');
    },
  };
}

/** `ws://host/ui/ws` beside the page; a `?token=` on the page is passed on (the cookie usually carries it). */
export function webSocketUrl(location: { protocol: string; host: string; search: string }, path = '/ui/ws'): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const token = new URLSearchParams(location.search).get('token');
  return `${scheme}://${location.host}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}
