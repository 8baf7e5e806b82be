/**
 * The e2e harness: starts `kubelab serve --ephemeral` as a child process, waits for `Cluster ready` and the `UI:` URL,
 * opens it in headless Chromium (Playwright's library API) and saves screenshots into test-results/.
 *
 * Nothing here skips: a host that does not start, a missing renderer build or a missing Chromium is a failure.
 * The host runs from the sources (KUBELAB_FROM_SOURCE=1) so a stale dist/cli.js cannot be what is tested; set
 * KUBELAB_E2E_BUILT=1 to test the built CLI instead. The renderer is always the built one (dist/renderer).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright';

export const ROOT = join(import.meta.dirname, '..', '..');
export const RESULTS = join(ROOT, 'test-results');

export interface Served {
  process: ChildProcess;
  uiUrl: string;
  kubeconfig: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the host (in memory, unless `args` name a `--state` directory); rejects (with everything it printed) when it exits or is not ready in time. */
export function startServe(args: string[] = [], timeoutMs = 180_000): Promise<Served> {
  const renderer = join(ROOT, 'dist', 'renderer', 'index.html');
  if (!existsSync(renderer)) return Promise.reject(new Error(`${renderer} is missing: run \`node scripts/build.mjs\` first`));
  const fromSource = process.env.KUBELAB_E2E_BUILT ? {} : { KUBELAB_FROM_SOURCE: '1' };
  const memory = args.includes('--state') ? [] : ['--ephemeral'];
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'kubelab.mjs'), 'serve', ...memory, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...fromSource, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let stopping = false;
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      stopping = true;
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`kubelab serve did not get ready in ${timeoutMs} ms:\n${out}\n${err}`));
    }, timeoutMs);
    const check = (): void => {
      const url = /^UI:\s*(\S+)/m.exec(out)?.[1];
      const kubeconfig = /^Kubeconfig:\s*(\S+)/m.exec(out)?.[1];
      if (!/Cluster ready/.test(out) || !url || !kubeconfig) return;
      clearTimeout(timer);
      // A host that dies mid-test is the likeliest cause of whatever fails next: say so, with its last words.
      child.once('exit', (code, signal) => {
        if (!stopping) console.error(`kubelab serve exited unexpectedly (code ${code}, signal ${signal}):\n${(out + err).slice(-4000)}`);
      });
      resolve({ process: child, uiUrl: url, kubeconfig, output: () => out + err, stop });
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubelab serve exited with ${code} before it was ready:\n${out}\n${err}`));
    });
  });
}

export function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.KUBELAB_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return Promise.reject(new Error(`Chromium not found at ${executablePath} (set KUBELAB_CHROMIUM)`));
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: false });
}

/** The active terminal's whole buffer (scrollback included), read from the xterm instance the UI hangs on its host. */
export function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.querySelector('[data-testid="terminal-active"] .xterm-host') as
      | (HTMLElement & { __xterm?: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } } })
      | null;
    const buffer = host?.__xterm?.buffer.active;
    if (!buffer) return '';
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  });
}

/** Types into the active terminal as a user would; each '\n' is an Enter key. */
export async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid="terminal-active"] .xterm-helper-textarea').focus();
  for (const line of text.split(/(\n)/)) {
    if (line === '\n') await page.keyboard.press('Enter');
    else if (line) await page.keyboard.type(line, { delay: 2 });
  }
}

export async function waitForText(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await terminalText(page);
    if (pattern.test(text)) return text;
    await page.waitForTimeout(200);
  }
  throw new Error(`terminal never showed ${pattern}; it shows:\n${text}`);
}

/** Runs the real kubectl against the served cluster (the kubeconfig `serve` printed). */
export function kubectl(served: Served, args: string[], stdin?: string, timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.KUBELAB_KUBECTL ?? 'kubectl', args, {
      env: { ...process.env, KUBECONFIG: served.kubeconfig },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`kubectl could not run: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(stdin ?? '');
  });
}

/**
 * Waits until the active terminal tab has opened (it has a host terminal id) and fails with the host's reason when
 * `terminal.open` was refused.
 */
export async function expectTerminalOpen(page: Page, timeoutMs = 15_000): Promise<string> {
  const active = page.locator('[data-testid="terminal-active"]');
  await active.waitFor({ timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const id = await active.getAttribute('data-terminal-id');
    if (id) return id;
    const refused = await active.getAttribute('data-open-error');
    if (refused) throw new Error(`terminal.open was refused by the host: "${refused}" — the cluster terminal is not wired yet (src-main/host/terminals-wiring.ts returns no TerminalHost)`);
    await page.waitForTimeout(100);
  }
  throw new Error(`terminal.open got no answer in ${timeoutMs} ms`);
}

export async function eventually<T>(page: Page, read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await page.waitForTimeout(200);
    value = await read();
  }
  return value;
}
