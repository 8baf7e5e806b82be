/**
 * The layout at 1440x900 in Chromium against the real host: Korean buttons drawn with the bundled Noto Sans KR (the
 * fonts Chromium really used, from CDP, on a machine without CJK system fonts), `kubectl get pods -o wide` on one
 * line per pod, a dragged splitter changing the terminal's columns (and the size remembered), the map fitting
 * (kube-dns inside the pane) and zooming, a crowded cluster shown as pod groups with unscheduled pods in one box, and
 * a Service's Rules tab whose counters grow after a curl.
 * Run: node --import tsx --test --test-concurrency=1 test/e2e/ui-layout.test.ts (after node scripts/build.mjs)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { eventually, expectTerminalOpen, kubectl, launchBrowser, screenshot, type Served, startServe, terminalText, typeInTerminal, waitForText } from './harness.ts';
import { SEED_DEPLOYMENT_YAML, SEED_SERVICE_YAML } from '../fixtures/seed.ts';

let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const resizes: Array<{ cols: number; rows: number }> = [];

before(async () => {
  served = await startServe();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'ko-KR' });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      const m = typeof f.payload === 'string' && /"name":"terminal.resize"/.test(f.payload) ? (JSON.parse(f.payload) as { params: { cols: number; rows: number } }) : null;
      if (m) resizes.push(m.params);
    }),
  );
  await page.goto(served.uiUrl);
  await expectTerminalOpen(page, 30_000);
  const applied = await kubectl(served, ['apply', '-f', '-'], `${SEED_DEPLOYMENT_YAML}---\n${SEED_SERVICE_YAML}`);
  assert.equal(applied.code, 0, applied.stderr);
});

after(async () => {
  await browser?.close();
  await served?.stop();
});

/** The fonts Chromium drew an element's text with (CDP CSS.getPlatformFontsForNode on its text node). */
async function fontsOf(selector: string): Promise<Array<{ familyName: string; isCustomFont: boolean; glyphCount: number }>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { node } = await cdp.send('DOM.describeNode', { nodeId, depth: 1 });
  const text = node.children?.find((c) => c.nodeType === 3);
  assert.ok(text, `${selector} has a text node`);
  const { nodeIds } = await cdp.send('DOM.pushNodesByBackendIdsToFrontend', { backendNodeIds: [text.backendNodeId] });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: nodeIds[0]! });
  await cdp.detach();
  return fonts;
}

test('Korean buttons are drawn with the bundled Noto Sans KR, not boxes of a fallback font', async () => {
  await page.locator('[data-testid="map-node"]').first().waitFor({ timeout: 30_000 });
  await page.evaluate('document.fonts.ready');
  await page.waitForTimeout(1500);
  for (const [selector, text] of [['[data-testid="node-add"]', '+ 노드 추가'], ['[data-testid="terminal-new-cluster"]', '+ 클러스터 셸'], ['[data-testid="cluster-reset"]', '클러스터 초기화']]) {
    assert.equal((await page.locator(selector).textContent())?.trim(), text);
    const fonts = await fontsOf(selector);
    // Every glyph from the bundled web font (its own name inside the file is "Noto Sans KR Thin", a variable font).
    assert.ok(fonts.length > 0 && fonts.every((f) => f.isCustomFont && /^Noto Sans KR/.test(f.familyName)), `${selector} drew with ${JSON.stringify(fonts)}`);
  }
  await screenshot(page, 'layout-ko');
});

test('at 1440x900 `kubectl get pods -o wide` prints one line per pod', async () => {
  await kubectl(served, ['rollout', 'status', 'deployment/hostname-server', '--timeout=120s'], undefined, 130_000);
  await typeInTerminal(page, 'kubectl get pods -o wide\n');
  await waitForText(page, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
  const wrapped = await page.evaluate(`(() => {
    const b = document.querySelector('[data-testid="terminal-active"] .xterm-host').__xterm.buffer.active;
    let n = 0;
    for (let i = 0; i < b.length; i++) if (b.getLine(i).isWrapped) n++;
    return n;
  })()`);
  assert.equal(wrapped, 0, 'no line wrapped');
  const cols = (await page.evaluate(`document.querySelector('[data-testid="terminal-active"] .xterm-host').__xterm.cols`)) as number;
  assert.ok(cols >= 125, `${cols} columns`);
});

const cols = () => page.evaluate(`document.querySelector('[data-testid="terminal-active"] .xterm-host').__xterm.cols`) as Promise<number>;

test('dragging the lesson splitter narrows the terminal: fewer columns, sent to the host, remembered', async () => {
  const before = await cols();
  const bar = (await page.locator('[data-testid="splitter-lesson"]').boundingBox())!;
  await page.mouse.move(bar.x + bar.width / 2, bar.y + 200);
  await page.mouse.down();
  await page.mouse.move(bar.x + 200, bar.y + 200, { steps: 8 });
  await page.mouse.up();
  const after = await eventually(page, cols, (c) => c < before - 15, `columns below ${before - 15}`);
  await eventually(page, async () => resizes.at(-1)?.cols, (c) => c === after, 'terminal.resize with the new columns');
  const width = (await page.locator('[data-testid="lesson-pane"]').boundingBox())!.width;
  await page.reload();
  await expectTerminalOpen(page, 30_000);
  await eventually(page, async () => Math.round((await page.locator('[data-testid="lesson-pane"]').boundingBox())!.width), (w) => Math.abs(w - width) <= 2, `the lesson pane is ${width} px again`);
  // A fresh terminal has no scrollback yet: its width may differ by the scrollbar's column.
  assert.ok(Math.abs((await cols()) - after) <= 1, 'the terminal has the remembered width');
  // Back to the default for the tests below.
  await page.evaluate(`localStorage.removeItem('kubelab.panes')`);
  await page.reload();
  await expectTerminalOpen(page, 30_000);
});

test('the map fits: kube-dns and every node inside the pane; wheel zooms, Fit fits again', async () => {
  const map = page.locator('[data-testid="cluster-map"]');
  await page.locator('[data-testid="map-service"][data-service="kube-system/kube-dns"]').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  const inside = async (selector: string) => {
    const m = (await map.boundingBox())!;
    const boxes = await page.locator(selector).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
    return boxes.length > 0 && boxes.every((b) => b.left >= m.x - 1 && b.right <= m.x + m.width + 1 && b.top >= m.y - 1 && b.bottom <= m.y + m.height + 1);
  };
  assert.ok(await inside('[data-testid="map-service"][data-service="kube-system/kube-dns"]'), 'kube-dns is not cut');
  assert.ok(await inside('[data-testid="map-node"]'), 'every node in view');
  const fitted = Number(await map.getAttribute('data-scale'));
  const m = (await map.boundingBox())!;
  await page.mouse.move(m.x + m.width / 2, m.y + m.height / 2);
  await page.mouse.wheel(0, -400);
  await eventually(page, async () => Number(await map.getAttribute('data-scale')), (s) => s > fitted * 1.2, 'zoomed in');
  await page.locator('[data-testid="map-fit"]').click();
  assert.equal(Number(await map.getAttribute('data-scale')), fitted);
});

test('a crowded cluster: pods grouped per node and owner with counts, unscheduled ones in one box with the reason', async () => {
  const fill = `apiVersion: apps/v1
kind: Deployment
metadata: { name: fill }
spec:
  replicas: 60
  selector: { matchLabels: { app: fill } }
  template:
    metadata: { labels: { app: fill } }
    spec: { containers: [{ name: fill, image: takytaky/hostname }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: stuck }
spec:
  replicas: 4
  selector: { matchLabels: { app: stuck } }
  template:
    metadata: { labels: { app: stuck } }
    spec: { nodeSelector: { disk: ssd }, containers: [{ name: stuck, image: takytaky/hostname }] }
`;
  const applied = await kubectl(served, ['apply', '-f', '-'], fill);
  assert.equal(applied.code, 0, applied.stderr);
  const groups = page.locator('[data-testid="map-pod-group"][data-owner^="ReplicaSet/fill-"]');
  await eventually(page, async () => (await groups.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))))).reduce((a, b) => a + b, 0), (n) => n >= 50, 'most fill pods shown in groups', 90_000);
  const pending = page.locator('[data-testid="map-pending"]');
  await eventually(page, () => pending.getAttribute('data-count'), (n) => n === '4', '4 unscheduled pods in one box', 60_000);
  assert.match((await page.locator('[data-testid="map-pending-reason"]').first().textContent()) ?? '', /4×.*didn't match Pod's node affinity\/selector/);
  assert.equal(await page.locator('[data-testid="map-pod-pending"]').count(), 0, 'collapsed: no wall of chips');
  await page.locator('[data-testid="map-fit"]').click();
  const m = (await page.locator('[data-testid="cluster-map"]').boundingBox())!;
  const nodes = await page.locator('[data-testid="map-node"]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  assert.ok(nodes.every((b) => b.top >= m.y - 1 && b.bottom <= m.y + m.height + 1), 'the nodes stay in view');
  assert.ok(Number(await page.locator('[data-testid="cluster-map"]').getAttribute('data-scale')) >= 0.35, 'and readable');
  await screenshot(page, 'layout-crowded');
  const deleted = await kubectl(served, ['delete', 'deployment', 'fill', 'stuck']);
  assert.equal(deleted.code, 0, deleted.stderr);
});

test("a Service's Rules tab: its chains on each node, counters that grow after a curl", async () => {
  await page.locator('[data-testid="map-service"][data-service="default/clusterip-hostname-service"]').click();
  await page.locator('[data-testid="inspector-tab-rules"]').click();
  const master = page.locator('[data-testid="service-rules-node"][data-node="master"]');
  await master.locator('[data-testid="service-rule"]').first().waitFor({ timeout: 15_000 });
  const chains = await master.locator('[data-testid="service-rule"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-chain') ?? ''));
  assert.ok(chains.includes('KUBE-SERVICES'));
  assert.ok(chains.some((c) => c.startsWith('KUBE-SVC-')));
  assert.equal(chains.filter((c) => c.startsWith('KUBE-SEP-')).length, 4, 'two endpoints: a MARK-MASQ and a DNAT rule each');
  assert.equal(await page.locator('[data-testid="service-rules-node"]').count(), 3, 'every node');
  const svcPackets = () => master.locator('[data-testid="service-rule"][data-chain^="KUBE-SVC-"] [data-testid="service-rule-packets"]')
    .evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-packets')), 0));
  const before = await svcPackets();
  const ip = (await kubectl(served, ['get', 'svc', 'clusterip-hostname-service', '-o', 'jsonpath={.spec.clusterIP}'])).stdout.trim();
  const mark = (await terminalText(page)).length;
  await typeInTerminal(page, `for i in 1 2 3; do curl -s http://${ip} | grep -c Hello; done\n`);
  await eventually(page, async () => ((await terminalText(page)).slice(mark).match(/^1$/gm) ?? []).length, (n) => n === 3, 'three answers');
  await eventually(page, svcPackets, (n) => n >= before + 3, `KUBE-SVC counters above ${before + 2}`, 15_000);
  await screenshot(page, 'layout-rules');
  assert.deepEqual(pageErrors, []);
});
