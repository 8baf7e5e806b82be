/**
 * `kubectl exec` over ApiClient.upgrade (v5.channel.k8s.io); port-forward is in port-forward.ts.
 * exec: channel 0 stdin, 1 stdout, 2 stderr, 3 the final Status (exit code in details.causes ExitCode), 4 resize.
 */
import { KubectlError, ServerError, errorFromResponse, resourcePath } from './api.ts';
import type { Ctx } from './context.ts';
import { UpgradeRefused } from './client.ts';
import { findPod, pickContainer } from './logs.ts';

const decoder = new TextDecoder();

export async function runExec(ctx: Ctx): Promise<number> {
  const dash = ctx.argsLenAtDash;
  if (ctx.args.length === 0) throw new KubectlError(`pod, type/name or --filename must be specified`);
  const command = dash >= 0 ? ctx.args.slice(dash) : ctx.args.slice(1);
  if (command.length === 0) throw new KubectlError(`you must specify at least one command for the container`);
  const pod = await findPod(ctx, ctx.args[0]);
  const container = pickContainer(ctx, pod, ctx.flags.str('container'));
  const stdin = ctx.flags.bool('stdin');
  const tty = ctx.flags.bool('tty') && stdin && !!ctx.io.terminal;
  if (ctx.flags.bool('tty') && !tty) ctx.io.stderr('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  if (!ctx.api.client.upgrade) throw new KubectlError('exec is not supported by this connection');
  const pods = await ctx.api.resolve('pods');
  const query = { command, container, stdin: stdin ? 'true' : undefined, stdout: 'true', stderr: tty ? undefined : 'true', tty: tty ? 'true' : undefined };
  let conn;
  try {
    conn = await ctx.api.client.upgrade({ method: 'GET', path: resourcePath(pods, pod.metadata.namespace ?? ctx.namespace, pod.metadata.name, 'exec'), query, protocols: ['v5.channel.k8s.io'], signal: ctx.io.signal });
  } catch (e) {
    if (e instanceof UpgradeRefused) throw errorFromResponse(e.response, 'POST', pods, pod.metadata.name);
    throw e;
  }
  return new Promise<number>((resolve, reject) => {
    let status: { status?: string; reason?: string; message?: string; details?: { causes?: { type?: string; message?: string }[] } } | undefined;
    conn.onMessage((ch, data) => {
      if (ch === 1) ctx.io.stdout(decoder.decode(data));
      else if (ch === 2) ctx.io.stderr(decoder.decode(data));
      else if (ch === 3) status = JSON.parse(decoder.decode(data));
    });
    let unsubscribe: (() => void) | undefined;
    conn.onClose(() => {
      unsubscribe?.();
      if (!status || status.status === 'Success') return resolve(0);
      const code = status.details?.causes?.find((c) => c.type === 'ExitCode')?.message;
      if (status.reason === 'NonZeroExitCode' && code) {
        if (!tty) ctx.io.stderr(`command terminated with exit code ${code}\n`);
        return resolve(Number(code));
      }
      reject(new ServerError(status));
    });
    if (stdin) {
      if (tty && ctx.io.terminal?.onData) {
        conn.send(4, JSON.stringify({ Width: ctx.io.terminal.columns, Height: ctx.io.terminal.rows }));
        unsubscribe = ctx.io.terminal.onData((s) => conn.send(0, s));
      } else {
        void ctx.io.stdin().then((text) => {
          if (text) conn.send(0, text);
          conn.send(255, new Uint8Array([0]));
        });
      }
    }
    ctx.io.signal?.addEventListener('abort', () => conn.close());
  });
}
