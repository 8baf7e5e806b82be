/**
 * The e2e harness: starts `kubelab serve --ephemeral` as a child process, waits for `Cluster ready` and the `UI:` URL,
 * opens it in headless Chromium (Playwright's library API) and saves screenshots into test-results/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright';

export const ROOT = join(import.meta.dirname, '..', '..');
export const RESULTS = join(ROOT, 'test-results');

export interface Served {
  process: ChildProcess;
  uiUrl: string;
  output(): string;
  stop(): Promise<void>;
}

export class ServeUnavailable extends Error {}

/** Starts the host; rejects with ServeUnavailable when it cannot start at all (e.g. not wired yet). */
export function startServe(args: string[] = [], timeoutMs = 60_000): Promise<Served> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'kubelab.mjs'), 'serve', '--ephemeral', ...args], {
    cwd: ROOT,
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
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
      if (!/Cluster ready/.test(out) || !url) return;
      clearTimeout(timer);
      resolve({ process: child, uiUrl: url, output: () => out + err, stop });
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new ServeUnavailable(`kubelab serve exited with ${code} before it was ready:\n${out}\n${err}`));
    });
  });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.KUBELAB_CHROMIUM ?? '/usr/bin/chromium',
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
