/**
 * The seed scenario (the Korean Services lesson kubelab was born from) through the UI: apply the hostname Deployment and the
 * ClusterIP Service in the terminal, watch the map, curl the cluster IP, and stop a node from the UI.
 * The objects are also applied through the real kubectl with the kubeconfig `serve` printed, so the map checks run
 * whether or not the cluster terminal works; the typed path fails loudly while `terminal.open` is refused.
 * Nothing skips: no host, no renderer build or no Chromium is a failure.
 * Run: node --import tsx --test --test-concurrency=1 test/e2e/seed.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import {
  eventually as eventuallyOn,
  expectTerminalOpen,
  kubectl,
  launchBrowser,
  screenshot,
  type Served,
  startServe,
  terminalText,
  typeInTerminal,
  waitForText,
} from './harness.ts';
import { SEED_DEPLOYMENT_YAML, SEED_SERVICE_YAML } from '../fixtures/seed.ts';

const DEPLOYMENT = SEED_DEPLOYMENT_YAML.trimEnd();
const SERVICE = SEED_SERVICE_YAML.trimEnd();

const CURLS = 10;
let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  served = await startServe();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1680, height: 1050 }, locale: 'en-US' });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(served.uiUrl);
});

after(async () => {
  await browser?.close();
  await served?.stop();
});

const pods = () => page.locator('[data-testid="map-pod"][data-namespace="default"]');
const service = () => page.locator('[data-testid="map-service"][data-service="default/clusterip-hostname-service"]');
const eventually = <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 30_000) => eventuallyOn(page, read, ok, what, timeoutMs);

async function podState(): Promise<Array<{ name: string; node: string; ip: string; status: string; requests: number }>> {
  return pods().evaluateAll((elements) =>
    elements.map((el) => ({
      name: el.getAttribute('data-pod') ?? '',
      node: el.getAttribute('data-node') ?? '',
      ip: el.querySelector('[data-testid="pod-ip"]')?.textContent?.trim() ?? '',
      status: el.querySelector('[data-testid="pod-status"]')?.textContent?.trim() ?? '',
      requests: Number(el.querySelector('[data-testid="pod-requests"]')?.textContent ?? 'NaN'),
    })),
  );
}

const runningPods = () =>
  eventually(
    podState,
    (ps) => ps.length === 2 && ps.every((p) => p.status === 'Running' && /^\d+\.\d+\.\d+\.\d+$/.test(p.ip) && p.node),
    '2 running pods with IPs on nodes',
  );

test('the map shows the 3 nodes, Ready, with their IPs and pod CIDRs', async () => {
  await page.locator('[data-testid="map-node"]').first().waitFor({ timeout: 30_000 });
  const nodes = page.locator('[data-testid="map-node"]');
  assert.equal(await nodes.count(), 3, 'the map shows 3 nodes');
  await eventually(() => nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), (s) => s.every((x) => x === 'Ready'), '3 nodes Ready');
  for (const el of await nodes.all()) {
    assert.match((await el.locator('[data-testid="node-ip"]').textContent())!, /^192\.168\.\d+\.\d+$/);
    assert.match((await el.locator('[data-testid="node-cidr"]').textContent())!, /^10\.244\.\d+\.0\/24$/);
    assert.ok(await el.isVisible(), `${await el.getAttribute('data-node')} is in view`);
  }
  // All three fit in the pane without scrolling sideways.
  const fits = await page.locator('[data-testid="cluster-map"]').evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  assert.ok(fits, 'the map fits the pane width');
  await screenshot(page, 'seed-0-start');
});

let typed = false;
test('the seed typed into the cluster terminal: apply (heredoc), get svc,deploy,pod, curl the cluster IP', async () => {
  await page.locator('[data-testid="terminal-active"] .xterm-helper-textarea').waitFor();
  await expectTerminalOpen(page);

  await typeInTerminal(page, `cat <<EOF | kubectl apply -f -\n${DEPLOYMENT}\nEOF\n`);
  await waitForText(page, /deployment\.apps\/hostname-server created/);
  await typeInTerminal(page, `cat <<EOF | kubectl apply -f -\n${SERVICE}\nEOF\n`);
  await waitForText(page, /service\/clusterip-hostname-service created/);
  typed = true;

  const running = await runningPods();
  await eventually(() => service().locator('[data-testid="service-endpoints"]').getAttribute('data-count'), (n) => n === '2', 'service has 2 endpoints');
  const clusterIP = (await service().locator('[data-testid="service-cluster-ip"]').textContent())!.trim();

  await typeInTerminal(page, 'kubectl get svc,deploy,pod\n');
  const listing = await waitForText(page, /pod\/hostname-server-\S+\s+1\/1\s+Running/);
  assert.match(listing, /service\/clusterip-hostname-service\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP/);
  assert.match(listing, /deployment\.apps\/hostname-server\s+2\/2\s+2\s+2/);

  const before = new Map(running.map((p) => [p.name, p.requests]));
  const mark = (await terminalText(page)).length;
  for (let i = 0; i < CURLS; i++) {
    await typeInTerminal(page, `curl -sf http://${clusterIP} | grep Hello\n`);
    await eventually(
      async () => ((await terminalText(page)).slice(mark).match(/Hello,\s+hostname-server-/g) ?? []).length,
      (n) => n === i + 1,
      `answer ${i + 1}`,
    );
  }
  const answers = (await terminalText(page)).slice(mark).match(/Hello,\s+(hostname-server-[a-z0-9-]+)/g) ?? [];
  assert.equal(answers.length, CURLS);
  const answered = new Map<string, number>();
  for (const a of answers) {
    const name = a.replace(/^Hello,\s+/, '');
    answered.set(name, (answered.get(name) ?? 0) + 1);
  }
  assert.equal(answered.size, 2, `both pods answered (${JSON.stringify([...answered])})`);
  await eventually(
    podState,
    (ps) => ps.every((p) => p.requests - (before.get(p.name) ?? 0) === (answered.get(p.name) ?? 0)),
    `pod counters rise by the requests each answered (${JSON.stringify([...answered])})`,
    10_000,
  );
  await screenshot(page, 'seed-2-curled');
});

test('the seed objects through the real kubectl: the map shows the pods on their nodes and the service with its endpoints', async () => {
  const applied = await kubectl(served, ['apply', '-f', '-'], `${DEPLOYMENT}\n---\n${SERVICE}\n`);
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, typed ? /deployment\.apps\/hostname-server (unchanged|configured)/ : /deployment\.apps\/hostname-server created/);
  assert.match(applied.stdout, typed ? /service\/clusterip-hostname-service (unchanged|configured)/ : /service\/clusterip-hostname-service created/);

  const running = await runningPods();
  for (const pod of running) {
    const inNode = page.locator(`[data-testid="map-node"][data-node="${pod.node}"] [data-testid="map-pod"][data-pod="${pod.name}"]`);
    assert.equal(await inNode.count(), 1, `${pod.name} is drawn inside ${pod.node}`);
  }
  await eventually(() => service().locator('[data-testid="service-endpoints"]').getAttribute('data-count'), (n) => n === '2', 'service has 2 endpoints');
  const lines = page.locator('[data-testid="map-endpoint-line"][data-service="default/clusterip-hostname-service"]');
  await eventually(() => lines.count(), (n) => n === 2, 'a line from the service to each endpoint pod');
  const linked = await lines.evaluateAll((els) => els.map((e) => e.getAttribute('data-pod')).sort());
  assert.deepEqual(linked, running.map((p) => `default/${p.name}`).sort(), 'the lines go to the two pods');
  const clusterIP = (await service().locator('[data-testid="service-cluster-ip"]').textContent())!.trim();
  assert.match(clusterIP, /^10\.\d+\.\d+\.\d+$/);

  const listing = await kubectl(served, ['get', 'svc,deploy,pod']);
  assert.equal(listing.code, 0, listing.stderr);
  assert.match(listing.stdout, new RegExp(`service/clusterip-hostname-service\\s+ClusterIP\\s+${clusterIP.replaceAll('.', '\\.')}\\s+<none>\\s+80/TCP`));
  assert.match(listing.stdout, /deployment\.apps\/hostname-server\s+2\/2\s+2\s+2/);
  for (const pod of running) assert.match(listing.stdout, new RegExp(`pod/${pod.name}\\s+1/1\\s+Running`));
  const wide = await kubectl(served, ['get', 'pods', '-l', 'app=hostname-server', '-o', 'wide', '--no-headers']);
  for (const pod of running) assert.match(wide.stdout, new RegExp(`${pod.name}\\s+1/1\\s+Running\\s+\\d+\\s+\\S+\\s+${pod.ip.replaceAll('.', '\\.')}\\s+${pod.node}\\s`), `the map's IP and node for ${pod.name} are kubectl's`);
  await screenshot(page, 'seed-1-applied');
});

test('a node stopped from the UI goes NotReady and its pods move (60x clock)', async () => {
  const running = await runningPods();
  const before = new Set(running.map((p) => p.name));
  await page.locator('[data-testid="clock-speed-60"]').click();
  await eventually(() => page.locator('[data-testid="clock-speed-60"]').getAttribute('class'), (c) => /active/.test(c ?? ''), 'clock at 60x');
  const victim = running[0].node;
  await page.locator(`[data-testid="map-node"][data-node="${victim}"] button.header`).click();
  await page.locator('[data-testid="node-stop"]').click();
  await page.locator(`[data-testid="map-node"][data-node="${victim}"] [data-testid="node-stopped"]`).waitFor({ timeout: 15_000 });
  // node-monitor-grace-period 50 s at 60x: under a second, plus the worker's last heartbeat.
  await eventually(() => page.locator(`[data-testid="map-node"][data-node="${victim}"]`).getAttribute('data-status'), (s) => s === 'NotReady' || s === 'Unknown', `${victim} NotReady`, 60_000);
  await screenshot(page, 'seed-3-node-notready');
  // The 300 s not-ready/unreachable toleration at 60x: 5 s, then the ReplicaSet replaces the evicted pod.
  const moved = await eventually(
    podState,
    (ps) => ps.filter((p) => p.status === 'Running').length === 2 && ps.filter((p) => p.status === 'Running').every((p) => p.node !== victim),
    `pods leave ${victim}`,
    90_000,
  );
  assert.ok(moved.some((p) => !before.has(p.name)), 'a replacement pod was created');
  await eventually(() => service().locator('[data-testid="service-endpoints"]').textContent(), (t) => /^2\/\d+ endpoints/.test(t?.trim() ?? ''), 'the service has 2 ready endpoints again');
  await screenshot(page, 'seed-4-pods-moved');
  await page.locator('[data-testid="node-start"]').click();
  await eventually(() => page.locator(`[data-testid="map-node"][data-node="${victim}"]`).getAttribute('data-status'), (s) => s === 'Ready', `${victim} Ready again`, 60_000);
  await page.locator('[data-testid="clock-speed-1"]').click();
});

test('Korean and English: the switch changes every label, and the layout holds', async () => {
  await page.locator('[data-testid="lang-switch"]').selectOption('ko');
  await eventually(() => page.locator('html').getAttribute('lang'), (l) => l === 'ko', 'html lang=ko');
  assert.equal((await page.locator('[data-testid="view-map"]').textContent())?.trim(), '지도');
  assert.match((await page.locator('[data-testid="status-cluster"]').textContent()) ?? '', /노드/);
  await page.locator('[data-testid="map-service"][data-service="default/clusterip-hostname-service"]').click();
  await page.locator('[data-testid="inspector-text"]').filter({ hasText: 'Name:' }).waitFor({ timeout: 15_000 });
  await screenshot(page, 'seed-5-korean');
  await page.locator('[data-testid="lang-switch"]').selectOption('en');
  assert.equal((await page.locator('[data-testid="view-map"]').textContent())?.trim(), 'Map');
});

test('no errors in the page', () => {
  assert.deepEqual(pageErrors, []);
});
