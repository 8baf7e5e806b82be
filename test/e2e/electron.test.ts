/**
 * The desktop app itself, through Playwright's Electron support, where an Electron binary is installed. Machines
 * where it cannot be downloaded (this project's CI among them) run the same scenario against `kubelab serve` in
 * seed.test.ts; here the test says why it did not run rather than pretending to pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright';
import { ROOT, RESULTS } from './harness.ts';

function electronBinary(): string | undefined {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const why = !binary ? 'the Electron binary is not installed (it cannot be downloaded here)' : !display ? 'there is no display' : undefined;

test('the desktop app opens one sandboxed window showing the 3-node cluster', { skip: why }, async () => {
  const userData = mkdtempSync(join(tmpdir(), 'kubelab-electron-'));
  const app = await electron.launch({ executablePath: binary!, args: [join(ROOT, 'dist/electron-main.mjs'), `--user-data-dir=${userData}`] });
  try {
    const page = await app.firstWindow();
    await page.locator('[data-testid="map-node"]').first().waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('[data-testid="map-node"]').count(), 3);
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0];
      return (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
    });
    assert.equal(prefs?.contextIsolation, true);
    assert.equal(prefs?.sandbox, true);
    assert.equal(prefs?.nodeIntegration, false);
    assert.equal(await page.evaluate(() => typeof (window as unknown as { kubelab?: unknown }).kubelab), 'object');
    await page.screenshot({ path: join(RESULTS, 'electron-0-window.png') });
  } finally {
    await app.close();
  }
});
