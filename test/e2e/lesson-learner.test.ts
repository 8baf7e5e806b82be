/**
 * A scripted learner does lesson 1 (ClusterIP) entirely through the UI in Chromium: Start in the lesson list, the
 * steps' {{exec}} code clicked (the watch interrupted by the next block's Ctrl-C, as on Killercoda), a pod name
 * typed in the terminal for the {{copy}} block, the Check button after each step. Skipping the curl of step 3 first
 * shows that check failing with its hint. Progress survives a page reload and a serve restart on the same state dir.
 * Run: node --import tsx --test --test-concurrency=1 test/e2e/lesson-learner.test.ts (after node scripts/build.mjs)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import { eventually, expectTerminalOpen, kubectl, launchBrowser, screenshot, type Served, startServe, terminalText, typeInTerminal } from './harness.ts';
import { check, exec, startLesson, until, waitStep } from './lesson-ui.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'kubelab-e2e-lesson-'));
let served: Served;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function open(): Promise<void> {
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(served.uiUrl);
  await expectTerminalOpen(page, 30_000);
}

before(async () => {
  served = await startServe(['--state', stateDir]);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', permissions: ['clipboard-read', 'clipboard-write'] });
  await open();
});

after(async () => {
  await browser?.close();
  await served?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

const hellos = async (from: number) => ((await terminalText(page)).slice(from).match(/Hello,\s+hostname-server-/g) ?? []).length;

test('lesson 1 through the UI: every step by its exec blocks and Check; a skipped curl shows the hint', async () => {
  await startLesson(page, 'clusterip');
  await waitStep(page, 1);
  assert.equal(await page.locator('[data-testid="lesson-page-title"]').textContent(), 'Deploy two hostname pods');

  // Step 1: the manifest, then apply and wait for the rollout; then the inline `kubectl get pod -o wide`.
  await exec(page, 0, /YAML\s*\n.*root@master/s);
  await exec(page, 1, /successfully rolled out/, 120_000);
  // The step names the Deployment: its pods light up on the map.
  await eventually(page, () => page.locator('[data-testid="map-pod"][data-highlighted="true"]').count(), (n) => n === 2, 'the Deployment\'s 2 pods highlighted');
  await exec(page, 2, /hostname-server-\S+\s+1\/1\s+Running.*\n.*hostname-server-\S+\s+1\/1\s+Running/);
  let r = await check(page);
  assert.ok(r.passed, `step 1: ${r.output} ${r.hint}`);
  await waitStep(page, 2);

  // Step 2: the Service. Its box lights up.
  await exec(page, 0, /service\/clusterip-hostname-service created/);
  await eventually(page, () => page.locator('[data-testid="map-service"][data-service="default/clusterip-hostname-service"]').getAttribute('data-highlighted'), (v) => v === 'true', 'the Service highlighted');
  r = await until(page, async () => {
    await page.waitForTimeout(500);
  });
  assert.equal(r.step, 2);
  await waitStep(page, 3);

  // Step 3, skipped: Check before any curl fails with the step's hint.
  r = await check(page);
  assert.equal(r.passed, false, 'no curl yet: the check fails');
  assert.notEqual(r.status, '0');
  assert.match(r.hint, /No request has reached the Service's pods since this step began/);
  await screenshot(page, 'lesson-step3-hint');
  const mark = (await terminalText(page)).length;
  await exec(page, 1, /Hello,\s+hostname-server-/);
  assert.ok((await hellos(mark)) >= 1);
  r = await check(page);
  assert.ok(r.passed, `step 3: ${r.output} ${r.hint}`);
  await waitStep(page, 4);

  // Step 4: six curls; both pods must answer (random: once more if one pod took all six).
  r = await until(page, async () => {
    const from = (await terminalText(page)).length;
    await exec(page, 0);
    await eventually(page, () => hellos(from), (n) => n >= 6, 'six answers', 60_000);
  });
  await waitStep(page, 5);

  // Step 5: the {{copy}} block goes to the clipboard; the learner types the real pod name.
  await exec(page, 0, /ENDPOINTS[\s\S]*NAME\s+READY/);
  await page.locator('[data-testid="lesson-page"] [data-testid="lesson-copy"]').first().click();
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), 'kubectl delete pod <name>');
  const names = (await kubectl(served, ['get', 'pods', '-l', 'app=hostname-server', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.trim().split(/\s+/);
  assert.equal(names.length, 2);
  await typeInTerminal(page, `kubectl delete pod ${names[0]}\n`);
  await eventually(page, () => terminalText(page), (t) => t.includes(`pod "${names[0]}" deleted`), 'the pod deleted', 60_000);
  await eventually(page, async () => (await kubectl(served, ['get', 'endpoints', 'clusterip-hostname-service', '-o', 'jsonpath={.subsets[*].addresses[*].targetRef.name}'])).stdout.trim().split(/\s+/).filter((n) => n && !names.includes(n)).length, (n) => n === 1, 'the new pod is an endpoint', 90_000);
  await exec(page, 2, /clusterip-hostname-service\s+\S+:80/);
  r = await until(page, async () => {
    const from = (await terminalText(page)).length;
    await exec(page, 3); // {{exec interrupt}}: Ctrl-C ends the watch, then the curls
    await eventually(page, () => hellos(from), (n) => n >= 6, 'six answers after the watch', 60_000);
  });
  await eventually(page, () => page.locator('[data-testid="lesson-pane"]').getAttribute('data-finished'), (v) => v === 'true', 'the lesson finished');
  assert.equal(await page.locator('[data-testid="lesson-page"]').getAttribute('data-kind'), 'finish');
  await screenshot(page, 'lesson-finished');
  assert.deepEqual(pageErrors, []);
});

test('progress survives a page reload and a serve restart on the same state dir', async () => {
  const finished = async () => {
    await page.locator('[data-testid="lesson-pane"][data-finished="true"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="lesson-browse"], [data-testid="lesson-done"]').first().click();
    const item = page.locator('[data-testid="lesson-item"][data-lesson="clusterip"]');
    await item.waitFor({ timeout: 30_000 });
    return [await item.getAttribute('data-passed'), await item.getAttribute('data-finished')];
  };
  await page.reload();
  assert.deepEqual(await finished(), ['5', 'true'], 'after a reload');
  await page.close();
  await served.stop();
  served = await startServe(['--state', stateDir]);
  await open();
  assert.deepEqual(await finished(), ['5', 'true'], 'after a serve restart');
});
