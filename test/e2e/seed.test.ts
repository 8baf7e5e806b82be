/**
 * The seed scenario (/work/shared/seed/k8s-service-1.ko.md) through the UI: apply the hostname Deployment and the
 * ClusterIP Service in the terminal, watch the map, curl the cluster IP, and stop a node from the UI.
 * Run: node --import tsx --test test/e2e/seed.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import {
  launchBrowser,
  screenshot,
  type Served,
  ServeUnavailable,
  startServe,
  terminalText,
  typeInTerminal,
  waitForText,
} from './harness.ts';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hostname-server
  labels:
    app: hostname-server
spec:
  replicas: 2
  selector:
    matchLabels:
      app: hostname-server
  template:
    metadata:
      labels:
        app: hostname-server
    spec:
      containers:
      - name: hostname-server
        image: takytaky/hostname
        ports:
        - containerPort: 80`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: clusterip-hostname-service
spec:
  type: ClusterIP
  selector:
    app: hostname-server
  ports:
  - protocol: TCP
    port: 80
    targetPort: 80`;

const CURLS = 10;
let served: Served | null = null;
let unavailable: string | null = null;
let browser: Browser;
let page: Page;

before(async () => {
  try {
    served = await startServe();
  } catch (error) {
    if (!(error instanceof ServeUnavailable)) throw error;
    unavailable = error.message;
    return;
  }
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1680, height: 1050 } });
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(served.uiUrl);
});

after(async () => {
  await browser?.close();
  await served?.stop();
});

const pods = () => page.locator('[data-testid="map-pod"][data-namespace="default"]');
const service = () => page.locator('[data-testid="map-service"][data-service="default/clusterip-hostname-service"]');

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

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await page.waitForTimeout(200);
    value = await read();
  }
  return value;
}

test('the seed: Deployment + ClusterIP Service, curl, counters, and a node stopped from the UI', async (t) => {
  if (unavailable) {
    t.skip(`kubelab serve is not available yet: ${unavailable.split('\n')[0]}`);
    return;
  }
  await page.locator('[data-testid="map-node"]').first().waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid="map-node"]').count(), 3, 'the map shows 3 nodes');
  await page.locator('[data-testid="terminal-active"] .xterm-helper-textarea').waitFor();
  await screenshot(page, 'seed-0-start');

  await typeInTerminal(page, `cat <<EOF | kubectl apply -f -\n${DEPLOYMENT}\nEOF\n`);
  await waitForText(page, /deployment\.apps\/hostname-server created/);
  await typeInTerminal(page, `cat <<EOF | kubectl apply -f -\n${SERVICE}\nEOF\n`);
  await waitForText(page, /service\/clusterip-hostname-service created/);

  const running = await eventually(podState, (ps) => ps.length === 2 && ps.every((p) => p.status === 'Running' && /^\d+\.\d+\.\d+\.\d+$/.test(p.ip) && p.node), '2 running pods with IPs on nodes');
  for (const pod of running) {
    const inNode = page.locator(`[data-testid="map-node"][data-node="${pod.node}"] [data-testid="map-pod"][data-pod="${pod.name}"]`);
    assert.equal(await inNode.count(), 1, `${pod.name} is drawn inside ${pod.node}`);
  }
  await eventually(() => service().locator('[data-testid="service-endpoints"]').getAttribute('data-count'), (n) => n === '2', 'service has 2 endpoints');
  const lines = await page.locator('[data-testid="map-endpoint-line"][data-service="default/clusterip-hostname-service"]').count();
  assert.equal(lines, 2, 'a line from the service to each endpoint pod');
  const clusterIP = (await service().locator('[data-testid="service-cluster-ip"]').textContent())!.trim();
  assert.match(clusterIP, /^10\.\d+\.\d+\.\d+$/);

  await typeInTerminal(page, 'kubectl get svc,deploy,pod\n');
  const listing = await waitForText(page, /pod\/hostname-server-\S+\s+1\/1\s+Running/);
  assert.match(listing, /service\/clusterip-hostname-service\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP/);
  assert.match(listing, /deployment\.apps\/hostname-server\s+2\/2\s+2\s+2/);
  await screenshot(page, 'seed-1-applied');

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
  await eventually(
    podState,
    (ps) => ps.every((p) => p.requests - (before.get(p.name) ?? 0) === (answered.get(p.name) ?? 0)),
    `pod counters rise by the requests each answered (${JSON.stringify([...answered])})`,
    10_000,
  );
  await screenshot(page, 'seed-2-curled');

  // Stop a node that runs one of the pods, from the UI, with the clock at 60x so eviction comes quickly.
  await page.locator('[data-testid="clock-speed-60"]').click();
  const victim = running[0].node;
  await page.locator(`[data-testid="map-node"][data-node="${victim}"] button.header`).click();
  await page.locator('[data-testid="node-stop"]').click();
  await eventually(() => page.locator(`[data-testid="map-node"][data-node="${victim}"]`).getAttribute('data-status'), (s) => s === 'NotReady', `${victim} NotReady`, 60_000);
  await screenshot(page, 'seed-3-node-notready');
  const moved = await eventually(
    podState,
    (ps) => ps.filter((p) => p.status === 'Running').length === 2 && ps.filter((p) => p.status === 'Running').every((p) => p.node !== victim),
    `pods leave ${victim}`,
    90_000,
  );
  assert.ok(moved.some((p) => !before.has(p.name)), 'a replacement pod was created');
  await screenshot(page, 'seed-4-pods-moved');
});
