/**
 * The serve-mode transport: ClientMessages and ServerMessages as JSON text frames on one WebSocket per browser tab,
 * at `path` on the host's HTTP server. The token is checked on upgrade; any number of tabs may connect at once.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostService } from '../../contract/contract.ts';
import { Connection } from './connection.ts';
import { TerminalRouter, type TerminalRouterOptions } from './terminal-router.ts';
import { presentedToken, requestUrl, sameOrigin, tokensEqual } from './token.ts';
import { hostAllowed, refuseUpgrade } from '../../apiserver/host-header.ts';

export interface WebSocketOptions {
  token: string;
  path?: string;
  /** Above this many buffered bytes on a socket, `traffic.frame`s for it are skipped. */
  congestionBytes?: number;
  keepAliveMs?: number;
  router?: TerminalRouterOptions;
}

export interface WebSocketTransport {
  readonly connections: number;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

function refuse(socket: Duplex, status: string): void {
  socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

export function attachWebSocket(server: Server, service: HostService, options: WebSocketOptions): WebSocketTransport {
  const path = options.path ?? '/ui/ws';
  const congestionBytes = options.congestionBytes ?? 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const router = new TerminalRouter(service, options.router);
  const live = new Map<WebSocket, Connection>();
  const alive = new WeakSet<WebSocket>();

  const onUpgrade = (req: import('node:http').IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (requestUrl(req).pathname !== path) return; // another handler's upgrade (e.g. the API server's exec)
    if (!hostAllowed(req)) return refuseUpgrade(socket, req, false);
    if (!tokensEqual(presentedToken(req), options.token)) return refuse(socket, '401 Unauthorized');
    if (!sameOrigin(req)) return refuse(socket, '403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  wss.on('connection', (ws: WebSocket) => {
    const connection = new Connection({
      service,
      router,
      send: (message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
      congested: () => ws.bufferedAmount > congestionBytes,
    });
    live.set(ws, connection);
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        ws.close(1003, 'invalid JSON');
        return;
      }
      connection.receive(parsed).catch((error) => console.error('kubelab transport:', error));
    });
    ws.on('close', () => {
      connection.close();
      live.delete(ws);
    });
    ws.on('error', () => ws.terminate());
  });

  const keepAlive = setInterval(() => {
    for (const ws of live.keys()) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, options.keepAliveMs ?? 30_000);
  keepAlive.unref();

  return {
    get connections() {
      return live.size;
    },
    close() {
      clearInterval(keepAlive);
      server.off('upgrade', onUpgrade);
      for (const ws of live.keys()) ws.terminate();
      router.dispose();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
