/**
 * `kubectl port-forward`: local listeners whose connections are forwarded to the pod over one SPDY/3.1 session on
 * the upgraded connection (`X-Stream-Protocol-Version: portforward.k8s.io`). Each connection opens an error stream
 * (closed by us at once; the server writes there when forwarding fails) and a data stream with the same requestid.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { SpdySession } from '../spdy/session.ts';
import { KubectlError, resourcePath } from './api.ts';
import { UpgradeRefused } from './client.ts';
import type { Ctx } from './context.ts';
import { findPod } from './logs.ts';

const PROTOCOL = 'portforward.k8s.io';

interface PortSpec {
  local: number;
  remote: number;
}

function parsePorts(specs: string[]): PortSpec[] {
  return specs.map((spec) => {
    const [l, r] = spec.includes(':') ? spec.split(':') : [spec, spec];
    const remote = Number(r);
    const local = l === '' ? 0 : Number(l);
    if (!Number.isInteger(remote) || remote < 1 || remote > 65535) throw new KubectlError(`Error parsing remote port '${r}': strconv.ParseUint: parsing "${r}": invalid syntax`);
    if (!Number.isInteger(local) || local < 0 || local > 65535) throw new KubectlError(`Error parsing local port '${l}': strconv.ParseUint: parsing "${l}": invalid syntax`);
    return { local, remote };
  });
}

function listen(host: string, port: number, onConnection: (s: Socket) => void): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer(onConnection);
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => resolve(server));
  });
}

export async function runPortForward(ctx: Ctx): Promise<number> {
  if (ctx.args.length < 2) throw new KubectlError(`TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples`, 1, true);
  const ports = parsePorts(ctx.args.slice(1));
  const pod = await findPod(ctx, ctx.args[0]);
  if (pod.status?.phase !== 'Running') throw new KubectlError(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? ''}`);
  const client = ctx.api.client;
  if (!client.tunnel) throw new KubectlError('port-forward is not supported by this connection');
  const pods = await ctx.api.resolve('pods');
  let tunnel;
  try {
    tunnel = await client.tunnel({ path: resourcePath(pods, pod.metadata.namespace ?? ctx.namespace, pod.metadata.name, 'portforward'), method: 'POST', upgrade: 'SPDY/3.1', headers: { 'X-Stream-Protocol-Version': PROTOCOL } });
  } catch (e) {
    if (e instanceof UpgradeRefused) throw new KubectlError(`error upgrading connection: ${e.response.body.trim()}`);
    throw e;
  }
  const session = new SpdySession((b) => tunnel.send(b), 'client');
  tunnel.onData((d) => session.receive(d));
  let requestId = 0;

  const forward = async (socket: Socket, p: PortSpec, local: number) => {
    ctx.io.stdout(`Handling connection for ${local}\n`);
    const id = String(requestId++);
    try {
      const error = await session.openStream({ streamtype: 'error', port: String(p.remote), requestid: id });
      error.end();
      const message: Buffer[] = [];
      error.onData((d) => message.push(d));
      error.onEnd(() => {
        if (message.length) ctx.io.stderr(`error: an error occurred forwarding ${local} -> ${p.remote}: ${Buffer.concat(message).toString()}\n`);
      });
      const data = await session.openStream({ streamtype: 'data', port: String(p.remote), requestid: id });
      socket.on('data', (d: Buffer) => data.write(d));
      socket.on('end', () => data.end());
      socket.on('error', () => data.reset());
      data.onData((d) => socket.write(d));
      data.onEnd(() => socket.end());
    } catch {
      socket.destroy();
    }
  };

  const addresses = ctx.flags.list('address').length ? ctx.flags.list('address') : ['localhost'];
  const servers: Server[] = [];
  for (const p of ports) {
    let local = p.local;
    for (const a of addresses) {
      const hosts = a === 'localhost' ? ['127.0.0.1', '::1'] : [a];
      for (const host of hosts) {
        const server = await listen(host, local, (s) => void forward(s, p, local));
        if (!server) {
          if (a !== 'localhost') throw new KubectlError(`unable to listen on any of the requested ports: [{${p.local} ${p.remote}}]`);
          continue;
        }
        servers.push(server);
        local = (server.address() as { port: number }).port;
        ctx.io.stdout(`Forwarding from ${host.includes(':') ? `[${host}]` : host}:${local} -> ${p.remote}\n`);
      }
    }
  }
  if (!servers.length) {
    tunnel.close();
    throw new KubectlError(`unable to listen on any of the requested ports: ${JSON.stringify(ports.map((p) => `{${p.local} ${p.remote}}`)).replace(/"/g, '')}`);
  }
  const lost = await new Promise<boolean>((resolve) => {
    tunnel.onClose(() => resolve(true));
    if (ctx.io.signal?.aborted) resolve(false);
    ctx.io.signal?.addEventListener('abort', () => resolve(false));
  });
  for (const s of servers) s.close();
  session.shutdown();
  tunnel.close();
  if (lost) throw new KubectlError('lost connection to pod');
  return 0;
}
