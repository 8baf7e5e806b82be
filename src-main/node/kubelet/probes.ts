/**
 * Liveness, readiness and startup probes (pkg/kubelet/prober): one worker per probe per running container,
 * ticking every periodSeconds, skipping ticks before initialDelaySeconds, counting consecutive results
 * against successThreshold/failureThreshold, and emitting an Unhealthy event for every failed probe.
 */
import type { Container, Probe } from 'kubernetes-types/core/v1';
import type { Clock } from '../../clock/clock.ts';
import type { RunningProgram } from '../images/types.ts';

export type ProbeKind = 'Liveness' | 'Readiness' | 'Startup';
export interface ProbeOutcome { ok: boolean; message: string }

export interface ProbeTarget {
  podIP: string;
  program: RunningProgram;
  container: Container;
  clock: Clock;
  kubeletVersion: string;
}

function resolvePort(port: number | string | undefined, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find(p => p.name === port)?.containerPort;
}

function withTimeout<T>(clock: Clock, p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return new Promise((resolve, reject) => {
    const id = clock.setTimeout(() => resolve('timeout'), ms);
    p.then(v => { clock.clearTimeout(id); resolve(v); }, e => { clock.clearTimeout(id); reject(e); });
  });
}

export async function runProbe(probe: Probe, t: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  const listening = (port: number, protocol = 'TCP') => t.program.listens().some(l => l.port === port && l.protocol === protocol);
  if (probe.httpGet) {
    const g = probe.httpGet;
    const port = resolvePort(g.port, t.container) ?? 80;
    const host = g.host || t.podIP;
    const scheme = (g.scheme ?? 'HTTP').toLowerCase();
    const path = g.path ? (g.path.startsWith('/') ? g.path : `/${g.path}`) : '/';
    const url = `${scheme}://${host}:${port}${path}`;
    if (!listening(port) || !t.program.handleHttp) return { ok: false, message: `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` };
    const headers: Array<[string, string]> = [['Host', `${host}:${port}`], ['User-Agent', `kube-probe/${t.kubeletVersion}`], ['Accept', '*/*'], ['Connection', 'close']];
    for (const h of g.httpHeaders ?? []) {
      const i = headers.findIndex(([k]) => k.toLowerCase() === h.name.toLowerCase());
      if (i >= 0) headers[i] = [h.name, h.value]; else headers.push([h.name, h.value]);
    }
    const res = await withTimeout(t.clock, Promise.resolve(t.program.handleHttp({ method: 'GET', path, httpVersion: 'HTTP/1.1', headers, body: '' }, { clientIP: t.podIP.replace(/\.\d+$/, '.1'), clientPort: 40000 + Math.floor(t.clock.now() % 20000), localPort: port })), timeoutMs);
    if (res === 'timeout') return { ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
    if (res.status >= 200 && res.status < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${res.status}` };
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, t.container) ?? 0;
    const host = probe.tcpSocket.host || t.podIP;
    return listening(port) ? { ok: true, message: '' } : { ok: false, message: `dial tcp ${host}:${port}: connect: connection refused` };
  }
  if (probe.grpc) {
    const port = probe.grpc.port;
    return listening(port) ? { ok: true, message: '' } : { ok: false, message: `timeout: failed to connect service "${t.podIP}:${port}" within ${probe.timeoutSeconds ?? 1}s: context deadline exceeded` };
  }
  if (probe.exec) {
    let output = '';
    const io = { stdout: (d: string) => { output += d; }, stderr: (d: string) => { output += d; } };
    try {
      const code = await withTimeout(t.clock, t.program.exec(probe.exec.command ?? [], io), timeoutMs);
      if (code === 'timeout') return { ok: false, message: `command timed out after ${probe.timeoutSeconds ?? 1}s` };
      return { ok: code === 0, message: output.replace(/\n$/, '') };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  }
  return { ok: true, message: '' };
}

export interface ProbeWorkerHooks {
  /** A probe failed: the Unhealthy event. */
  failed(kind: ProbeKind, message: string): void;
  /** The result crossed a threshold (readiness/startup success or failure, liveness failure). */
  changed(kind: ProbeKind, ok: boolean): void;
}

export class ProbeWorker {
  private timer: number | undefined;
  private successes = 0;
  private failures = 0;
  private stopped = false;
  private running = false;
  /** Last result reported through changed(); readiness starts false, liveness and startup start unknown. */
  result: boolean | undefined;

  constructor(readonly kind: ProbeKind, private readonly probe: Probe, private readonly target: ProbeTarget,
    private readonly startedAt: number, private readonly hooks: ProbeWorkerHooks) {
    this.result = kind === 'Readiness' ? false : undefined;
  }

  start(): void {
    const period = (this.probe.periodSeconds ?? 10) * 1000;
    this.tick();
    this.timer = this.target.clock.setInterval(() => this.tick(), period);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.target.clock.clearInterval(this.timer);
  }

  private tick(): void {
    if (this.stopped || this.running) return;
    const elapsed = Math.floor((this.target.clock.now() - this.startedAt) / 1000);
    if (elapsed < (this.probe.initialDelaySeconds ?? 0)) return;
    this.running = true;
    runProbe(this.probe, this.target).then(o => this.record(o), e => this.record({ ok: false, message: String(e) })).finally(() => { this.running = false; });
  }

  private record(o: ProbeOutcome): void {
    if (this.stopped) return;
    if (o.ok) {
      this.failures = 0;
      this.successes++;
      const need = this.kind === 'Readiness' ? (this.probe.successThreshold ?? 1) : 1;
      if (this.successes >= need && this.result !== true) { this.result = true; this.hooks.changed(this.kind, true); }
      if (this.kind === 'Startup' && this.result) this.stop();
      return;
    }
    this.successes = 0;
    this.failures++;
    this.hooks.failed(this.kind, o.message);
    if (this.failures >= (this.probe.failureThreshold ?? 3) && this.result !== false) {
      this.result = false;
      this.hooks.changed(this.kind, false);
      // Liveness and startup failures restart the container; this worker ends with it.
      if (this.kind !== 'Readiness') this.stop();
    }
  }
}
