/**
 * The inspector and the controls against the real host: node nat table with live counters and conntrack, describe /
 * YAML / events, trace steps, the resource list, add / restart / remove node, delete pod, clock speed, LoadBalancer
 * on/off and reset. Nothing skips.
 * Run: node --import tsx --test --test-concurrency=1 test/e2e/controls.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { eventually as eventuallyOn, expectTerminalOpen, kubectl, launchBrowser, screenshot, type Served, startServe, typeInTerminal, waitForText } from './harness.ts';
import { SEED_DEPLOYMENT_YAML, SEED_SERVICE_YAML } from '../fixtures/seed.ts';

const SEED = `${SEED_DEPLOYMENT_YAML}---\n${SEED_SERVICE_YAML}`;

let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const eventually = <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 30_000) => eventuallyOn(page, read, ok, what, timeoutMs);
const mapNodes = () => page.locator('[data-testid="map-node"]');
const inspectorText = () => page.locator('[data-testid="inspector-text"]');

before(async () => {
  served = await startServe();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1680, height: 1050 }, locale: 'en-US' });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(served.uiUrl);
  await mapNodes().first().waitFor({ timeout: 30_000 });
  const applied = await kubectl(served, ['apply', '-f', '-'], SEED);
  assert.equal(applied.code, 0, applied.stderr);
  await eventually(
    () => page.locator('[data-testid="map-pod"][data-namespace="default"] [data-testid="pod-status"]').allTextContents(),
    (s) => s.length === 2 && s.every((x) => x === 'Running'),
    'the seed pods run',
  );
});

after(async () => {
  await browser?.close();
  await served?.stop();
});

async function selectNode(name: string): Promise<void> {
  await page.locator(`[data-testid="map-node"][data-node="${name}"] button.header`).click();
  await eventually(() => page.locator('[data-testid="inspector-title"]').textContent(), (t) => t?.trim() === `node/${name}`, `inspector on ${name}`);
}

test('node inspector: describe, YAML, events, the nat table with live per-rule counters, conntrack', async () => {
  await selectNode('master');
  await eventually(() => inspectorText().textContent(), (t) => /^Name:\s+master$/m.test(t ?? ''), 'describe node master', 20_000);
  await page.locator('[data-testid="inspector-tab-yaml"]').click();
  await eventually(() => inspectorText().textContent(), (t) => /^kind: Node$/m.test(t ?? '') && /name: master/.test(t ?? ''), 'node YAML', 20_000);
  await page.locator('[data-testid="inspector-tab-events"]').click();
  await page.locator('[data-testid="inspector-events"], [data-testid="inspector-body"] .muted').first().waitFor({ timeout: 20_000 });

  await page.locator('[data-testid="inspector-tab-nat"]').click();
  const rules = page.locator('[data-testid="nat-rule"]');
  await eventually(() => rules.count(), (n) => n > 5, 'nat rules listed', 20_000);
  const clusterIP = (await page.locator('[data-testid="map-service"][data-service="default/clusterip-hostname-service"] [data-testid="service-cluster-ip"]').textContent())!.trim();
  const serviceRule = rules.filter({ hasText: clusterIP }).first();
  await serviceRule.waitFor({ timeout: 20_000 });
  const packets = async () => Number(await serviceRule.locator('[data-testid="nat-rule-packets"]').textContent());
  const before = await packets();

  await expectTerminalOpen(page);
  for (let i = 1; i <= 3; i++) {
    // One at a time: each answer before the next command (type-ahead is not what is tested here).
    await typeInTerminal(page, `curl -s -o /dev/null -w 'code=%{http_code} n=${i}\\n' http://${clusterIP}\n`);
    await waitForText(page, new RegExp(`^code=200 n=${i}$`, 'm'));
  }
  await eventually(packets, (n) => n >= before + 3, `the KUBE-SERVICES rule for ${clusterIP} counts the 3 connections`, 15_000);
  await screenshot(page, 'controls-0-nat-table');

  await page.locator('[data-testid="inspector-tab-conntrack"]').click();
  await eventually(() => page.locator('[data-testid="node-conntrack"]').textContent(), (t) => (t ?? '').includes(clusterIP), 'conntrack shows the connections to the cluster IP', 15_000);
});

test('trace steps: a connection from the list shows its DNAT and the rules it went through', async () => {
  const item = page.locator('[data-testid="trace-item"]').first();
  await item.waitFor({ timeout: 15_000 });
  await item.click();
  await page.locator('[data-testid="trace-summary"]').waitFor({ timeout: 15_000 });
  assert.ok((await page.locator('[data-testid="trace-step"]').count()) > 0, 'the trace has steps');
  assert.match((await page.locator('[data-testid="trace-steps"]').textContent()) ?? '', /KUBE-SERVICES|KUBE-SVC|KUBE-SEP/);
  assert.match((await page.locator('[data-testid="trace-summary"]').textContent()) ?? '', /10\.244\.\d+\.\d+:80/, 'DNAT to a pod');
  await screenshot(page, 'controls-1-trace');
});

test('pod inspector and delete pod: the ReplicaSet replaces it', async () => {
  const pod = page.locator('[data-testid="map-pod"][data-namespace="default"]').first();
  const name = (await pod.getAttribute('data-pod'))!;
  await pod.click();
  await eventually(() => inspectorText().textContent(), (t) => new RegExp(`^Name:\\s+${name}$`, 'm').test(t ?? ''), 'describe pod', 20_000);
  await page.locator('[data-testid="inspector-tab-events"]').click();
  await eventually(() => page.locator('[data-testid="inspector-events"]').textContent().catch(() => ''), (t) => /Scheduled/.test(t ?? ''), 'the pod events', 20_000);
  await page.locator('[data-testid="pod-delete"]').click();
  await eventually(
    () => page.locator('[data-testid="map-pod"][data-namespace="default"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-pod'), e.querySelector('[data-testid="pod-status"]')?.textContent])),
    (ps) => !ps.some(([n]) => n === name) && ps.filter(([, s]) => s === 'Running').length === 2,
    `${name} replaced`,
    60_000,
  );
});

test('resource list: deployments, and a row opens in the inspector', async () => {
  await page.locator('[data-testid="view-resources"]').click();
  await page.locator('[data-testid="resource-kind"]').selectOption('deployments');
  const row = page.locator('[data-testid="resource-table"][data-kind="deployments"] [data-testid="resource-row"]').filter({ hasText: 'hostname-server' });
  await row.waitFor({ timeout: 15_000 });
  assert.match((await row.textContent()) ?? '', /2\/2/);
  await row.click();
  await eventually(() => page.locator('[data-testid="inspector-title"]').textContent(), (t) => t?.trim() === 'Deployment/hostname-server', 'inspector on the deployment');
  await page.locator('[data-testid="inspector-tab-describe"]').click();
  await eventually(() => inspectorText().textContent(), (t) => /Replicas:\s+2 desired/.test(t ?? ''), 'describe deployment', 20_000);
  await screenshot(page, 'controls-2-resources');
  await page.locator('[data-testid="view-map"]').click();
});

test('nodes: add, restart, remove', async () => {
  await page.locator('[data-testid="view-map"]').click();
  await page.locator('[data-testid="node-add"]').click();
  await eventually(() => mapNodes().count(), (n) => n === 4, 'a 4th node on the map', 60_000);
  const added = (await mapNodes().evaluateAll((els) => els.map((e) => e.getAttribute('data-node')!))).find((n) => !['master', 'worker1', 'worker2'].includes(n))!;
  const status = () => page.locator(`[data-testid="map-node"][data-node="${added}"]`).getAttribute('data-status');
  await eventually(status, (s) => s === 'Ready', `${added} Ready`, 60_000);
  await screenshot(page, 'controls-3-node-added');
  await selectNode(added);
  await page.locator('[data-testid="node-restart"]').click();
  await eventually(() => page.locator('[data-testid="node-restart"]').isDisabled(), (d) => !d, 'restart finished', 60_000);
  await eventually(status, (s) => s === 'Ready', `${added} Ready after restart`, 60_000);
  await page.locator('[data-testid="node-remove"]').click();
  await eventually(() => mapNodes().count(), (n) => n === 3, `${added} removed`, 60_000);
  const nodes = await kubectl(served, ['get', 'nodes', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name']);
  assert.deepEqual(nodes.stdout.trim().split('\n').sort(), ['master', 'worker1', 'worker2']);
});

test('clock: 10x and pause', async () => {
  const clock = () => page.locator('[data-testid="status-clock"]').textContent();
  await page.locator('[data-testid="clock-speed-10"]').click();
  await eventually(() => page.locator('[data-testid="clock-speed-10"]').getAttribute('class'), (c) => /active/.test(c ?? ''), '10x active');
  await page.locator('[data-testid="clock-speed-0"]').click();
  await eventually(() => page.locator('[data-testid="clock-speed-0"]').getAttribute('class'), (c) => /active/.test(c ?? ''), 'paused');
  const frozen = await clock();
  await page.waitForTimeout(2500);
  assert.equal(await clock(), frozen, 'a paused clock does not move');
  await page.locator('[data-testid="clock-speed-1"]').click();
  await eventually(clock, (c) => c !== frozen, 'the clock runs again', 10_000);
});

test('LoadBalancer controller off and on', async () => {
  const toggle = page.locator('[data-testid="lb-toggle"]');
  assert.equal(await toggle.isChecked(), true);
  await toggle.uncheck();
  await eventually(() => toggle.isChecked(), (c) => !c, 'LB off');
  const lb = await kubectl(served, ['expose', 'deployment', 'hostname-server', '--name=web-lb', '--type=LoadBalancer', '--port=80']);
  assert.equal(lb.code, 0, lb.stderr);
  await page.waitForTimeout(1500);
  const pending = await kubectl(served, ['get', 'svc', 'web-lb', '--no-headers']);
  assert.match(pending.stdout, /web-lb\s+LoadBalancer\s+\S+\s+<pending>/);
  await toggle.check();
  await eventually(() => toggle.isChecked(), (c) => c, 'LB on');
  const external = page.locator('[data-testid="map-service"][data-service="default/web-lb"] [data-testid="service-external-ip"]');
  await external.waitFor({ timeout: 20_000 });
  const ip = (await external.textContent())!.trim();
  assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
  const assigned = await kubectl(served, ['get', 'svc', 'web-lb', '--no-headers']);
  assert.match(assigned.stdout, new RegExp(`web-lb\\s+LoadBalancer\\s+\\S+\\s+${ip.replaceAll('.', '\\.')}\\s`));
  await screenshot(page, 'controls-4-loadbalancer');
});

test('reset: a fresh cluster', async () => {
  await page.locator('[data-testid="cluster-reset"]').click();
  await eventually(() => page.locator('[data-testid="map-pod"][data-namespace="default"]').count(), (n) => n === 0, 'the seed pods are gone', 90_000);
  await eventually(() => mapNodes().count(), (n) => n === 3, '3 nodes', 60_000);
  await eventually(() => mapNodes().evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), (s) => s.every((x) => x === 'Ready'), 'all Ready', 90_000);
  const deploys = await kubectl(served, ['get', 'deploy', '-n', 'default', '--no-headers']);
  assert.equal(deploys.stdout.trim(), '');
  await screenshot(page, 'controls-5-reset');
});

test('no errors in the page', () => {
  assert.deepEqual(pageErrors, []);
});
