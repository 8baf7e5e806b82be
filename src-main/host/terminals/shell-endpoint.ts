/**
 * The terminal WebSocket `kubelab shell` attaches to: `GET /kubelab/v1/shell?node=NAME&cols=C&rows=R` (or
 * `&namespace=NS&pod=NAME` for a pod shell, `&laptop=1` for the laptop's), bearer token in `Authorization` or
 * `?token=`. A place where no shell can be opened (an unknown or stopped node) is refused with one `error` frame
 * before anything runs. JSON text frames:
 *   client -> server  {"type":"input","data":"..."} | {"type":"resize","cols":N,"rows":N} | {"type":"ack","bytes":N}
 *   server -> client  {"type":"data","data":"..."} | {"type":"exit","code":N}
 * With `&command=LINE` the line runs without a terminal and the server answers one
 *   {"type":"result","status":N,"stdout":"...","stderr":"..."} and closes.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { tokensEqual } from '../transport/token.ts';
import { hostAllowed, refuseUpgrade } from '../../apiserver/host-header.ts';
import { placeProblem, type TerminalManager } from './manager.ts';
import type { Cluster } from '../../cluster/cluster.ts';
import type { ShellPlace } from '../../shell/commands/index.ts';

export const SHELL_PATH = '/kubelab/v1/shell';

export type ShellClientFrame = { type: 'input'; data: string } | { type: 'resize'; cols: number; rows: number } | { type: 'ack'; bytes: number };
export type ShellServerFrame =
  | { type: 'data'; data: string }
  | { type: 'exit'; code: number }
  | { type: 'result'; status: number; stdout: string; stderr: string }
  | { type: 'error'; message: string };

function presented(req: IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return url.searchParams.get('token');
}

export function attachShellEndpoint(server: Server, o: { token: string; terminals: TerminalManager; cluster: Cluster }): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== SHELL_PATH) return;
    if (!hostAllowed(req)) return refuseUpgrade(socket, req, false);
    if (!tokensEqual(presented(req, url), o.token) || req.headers.origin !== undefined) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => void serve(ws, url).catch((e) => {
      send(ws, { type: 'error', message: (e as Error).message });
      ws.close(1011);
    }));
  };
  server.on('upgrade', onUpgrade);

  const send = (ws: WebSocket, f: ShellServerFrame) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(f)); };

  async function serve(ws: WebSocket, url: URL): Promise<void> {
    const q = url.searchParams;
    const pod = q.get('pod');
    const command = q.get('command');
    const firstNode = o.cluster.nodes()[0]?.name ?? 'master';
    const place: ShellPlace = pod ? { kind: 'pod', namespace: q.get('namespace') ?? 'default', name: pod }
      : q.has('laptop') ? { kind: 'laptop' } : { kind: 'node', node: q.get('node') ?? firstNode };
    const problem = placeProblem(o.cluster, place);
    if (problem) {
      send(ws, { type: 'error', message: problem });
      ws.close(1000);
      return;
    }
    if (command !== null) {
      // The client going away (Ctrl-C on `kubelab shell -c`) interrupts the line, as a hung-up terminal would.
      const hangup = new AbortController();
      ws.once('close', () => hangup.abort('SIGHUP'));
      const r = await o.terminals.runLine(place, command, hangup.signal);
      send(ws, { type: 'result', ...r });
      ws.close(1000);
      return;
    }
    const cols = Number(q.get('cols')) || 80;
    const rows = Number(q.get('rows')) || 24;
    const early: Array<{ id: string; data: string }> = [];
    let id: string | undefined;
    const offData = o.terminals.on('terminal.data', (p) => {
      if (p.id === id) send(ws, { type: 'data', data: p.data });
      else if (id === undefined) early.push(p);
    });
    const offExit = o.terminals.on('terminal.exit', (p) => {
      if (p.id !== id) return;
      send(ws, { type: 'exit', code: p.code });
      ws.close(1000);
    });
    ws.on('close', () => {
      offData();
      offExit();
      if (id && o.terminals.ids().includes(id)) o.terminals.close({ id });
    });
    const handle = (f: ShellClientFrame, at: string) => {
      if (f.type === 'input' && typeof f.data === 'string') o.terminals.input({ id: at, data: f.data });
      else if (f.type === 'resize') o.terminals.resize({ id: at, cols: f.cols, rows: f.rows });
      else if (f.type === 'ack') o.terminals.ack({ id: at, bytes: f.bytes });
    };
    // Keys typed before the terminal exists are its first input, not lost.
    const pending: ShellClientFrame[] = [];
    ws.on('message', (raw, binary) => {
      if (binary) return;
      let f: ShellClientFrame;
      try {
        f = JSON.parse(raw.toString()) as ShellClientFrame;
      } catch {
        return;
      }
      if (id) handle(f, id);
      else pending.push(f);
    });
    const opened = await o.terminals.open(place.kind === 'pod' ? { kind: 'pod', pod: { kind: 'Pod', namespace: place.namespace, name: place.name }, cols, rows }
      : place.kind === 'laptop' ? { kind: 'laptop', cols, rows } : { kind: 'cluster', node: place.node, cols, rows });
    id = opened.id;
    for (const p of early.splice(0)) if (p.id === id) send(ws, { type: 'data', data: p.data });
    for (const f of pending.splice(0)) handle(f, id);
  }

  return {
    close: () => {
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
