/**
 * A second run of lesson 1 that goes wrong, through the UI: step 1 done by typing in the terminal, step 2 skipped
 * (its check fails with its hint), then Reset cluster while the lesson runs takes it back to its start (lesson.reset:
 * the Deployment is gone, step 1's check fails again with its own hint). "Open lesson pack…" adds a .zip.
 * Run: node --import tsx --test --test-concurrency=1 test/e2e/lesson-reset.test.ts (after node scripts/build.mjs)
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { zipSync } from 'fflate';
import type { Browser, Page } from 'playwright';
import { eventually, expectTerminalOpen, kubectl, launchBrowser, ROOT, type Served, startServe, typeInTerminal, waitForText } from './harness.ts';
import { check, startLesson, waitStep } from './lesson-ui.ts';

let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  served = await startServe();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(served.uiUrl);
  await expectTerminalOpen(page, 30_000);
});

after(async () => {
  await browser?.close();
  await served?.stop();
});

test('step 1 typed in the terminal passes; step 2 skipped fails with its hint', async () => {
  await startLesson(page, 'clusterip');
  await waitStep(page, 1);
  // The learner types the step's first block (the manifest heredoc) instead of clicking it.
  const manifest = await page.locator('[data-testid="lesson-page"] pre code').first().textContent();
  assert.match(manifest ?? '', /kind: Deployment/);
  await typeInTerminal(page, `${manifest!.trimEnd()}\n`);
  await typeInTerminal(page, 'kubectl apply -f ~/k8s_lab/service/hostname-deployment.yaml && kubectl rollout status deployment/hostname-server\n');
  await waitForText(page, /successfully rolled out/, 120_000);
  const r1 = await check(page);
  assert.ok(r1.passed, `step 1: ${r1.output} ${r1.hint}`);
  await waitStep(page, 2);

  const r2 = await check(page);
  assert.equal(r2.passed, false);
  assert.equal(r2.status, '2', 'verify.sh: no such Service');
  assert.match(r2.output, /service\/clusterip-hostname-service not found/);
  assert.match(r2.hint, /There is no Service named clusterip-hostname-service yet/);
  assert.equal(await page.locator('[data-testid="lesson-next"]').isDisabled(), true, 'Next waits for the check');
});

test('Reset cluster during the lesson restarts it: the Deployment is gone and step 1 fails with its hint', async () => {
  const reset = page.locator('[data-testid="cluster-reset"]');
  assert.equal(await reset.getAttribute('data-lesson'), 'clusterip', 'Reset cluster knows a lesson runs');
  await reset.click();
  await waitStep(page, 1, 120_000);
  await eventually(page, async () => (await kubectl(served, ['get', 'deployment', 'hostname-server'])).code, (c) => c !== 0, 'the Deployment is gone', 60_000);
  const r = await check(page);
  assert.equal(r.passed, false);
  assert.equal(r.status, '2');
  assert.match(r.hint, /There is no Deployment named hostname-server yet/);
  const item = page.locator('[data-testid="lesson-browse"]');
  await item.click();
  assert.equal(await page.locator('[data-testid="lesson-item"][data-lesson="clusterip"]').getAttribute('data-passed'), '0', 'progress starts again');
});

test('Open lesson pack… adds the lessons of a .zip', async () => {
  const dir = join(ROOT, 'test/fixtures/lessons/killercoda-web');
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files[`pack/web-basics/${relative(dir, p)}`] = readFileSync(p);
    }
  };
  walk(dir);
  await page.locator('[data-testid="lesson-pack-input"]').setInputFiles({ name: 'workshop.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(files)) });
  const item = page.locator('[data-testid="lesson-item"][data-lesson="web-basics"]');
  await item.waitFor({ timeout: 30_000 });
  assert.match((await item.textContent()) ?? '', /imported/);
  assert.equal(await page.locator('[data-testid="lesson-error"]').count(), 0);
  assert.deepEqual(pageErrors, []);
});
