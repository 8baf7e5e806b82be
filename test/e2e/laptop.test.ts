/**
 * The laptop tab: a shell on the learner's own machine (192.168.56.1), outside the cluster. Opened from the terminal
 * pane's button, it shows learner@laptop's prompt; a NodePort answers on every node IP from there, and the laptop's
 * own `ip a` shows vboxnet0. The objects come through the real kubectl with the kubeconfig `serve` printed.
 * Run: node --import tsx --test --test-concurrency=1 test/e2e/laptop.test.ts (after node scripts/build.mjs)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { eventually, expectTerminalOpen, kubectl, launchBrowser, screenshot, type Served, startServe, terminalText, typeInTerminal, waitForText } from './harness.ts';
import { SEED_DEPLOYMENT_YAML } from '../fixtures/seed.ts';

const NODEPORT_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: nodeport-hostname-service
spec:
  type: NodePort
  selector:
    app: hostname-server
  ports:
  - protocol: TCP
    port: 80
    targetPort: 80
    nodePort: 30080
`;

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

test('the laptop tab: learner@laptop, curl to a NodePort on each node IP answers, ip a shows vboxnet0', async () => {
  const applied = await kubectl(served, ['apply', '-f', '-'], `${SEED_DEPLOYMENT_YAML}---\n${NODEPORT_SERVICE}`);
  assert.equal(applied.code, 0, applied.stderr);
  const ready = await kubectl(served, ['rollout', 'status', 'deployment/hostname-server', '--timeout=120s'], undefined, 130_000);
  assert.equal(ready.code, 0, ready.stderr);

  await page.locator('[data-testid="terminal-new-laptop"]').click();
  const tab = page.locator('[data-testid="terminal-tab"][data-kind="laptop"]');
  await tab.waitFor({ timeout: 15_000 });
  assert.equal(await tab.getAttribute('aria-selected'), 'true', 'the laptop tab is the active one');
  await expectTerminalOpen(page);
  await waitForText(page, /^learner@laptop:~\$ ?$/m);
  assert.match((await tab.textContent()) ?? '', /laptop/);

  const nodes = (await kubectl(served, ['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.addresses[0].address}{"\\n"}{end}'])).stdout.trim().split('\n');
  assert.equal(nodes.length, 3, `three node IPs: ${nodes.join(', ')}`);
  for (const ip of nodes) {
    await typeInTerminal(page, `echo ==${ip}==; curl -s http://${ip}:30080 | grep Hello\n`);
    const answer = (t: string) => t.split(new RegExp(`^==${ip.replaceAll('.', '\\.')}==$`, 'm'))[1] ?? '';
    await eventually(page, async () => answer(await terminalText(page)), (t) => /Hello,\s+hostname-server-\S+/.test(t), `the NodePort answers on ${ip}`);
  }
  // What follows the marker's own output line (the typed line wraps; the buffer's empty rows below are trimmed).
  await typeInTerminal(page, 'echo ==mark==; hostname; ip -4 a show vboxnet0; echo $KUBECONFIG\n');
  const after = await eventually(page, async () => (await terminalText(page)).trimEnd().split(/^==mark==$/m)[1] ?? '', (t) => /kubeconfig\n\S*learner@laptop:~\$$/.test(t), 'hostname, ip a and $KUBECONFIG');
  assert.match(after, /^laptop$/m);
  assert.match(after, /inet 192\.168\.56\.1\/24 brd 192\.168\.56\.255 scope global vboxnet0/);
  assert.match(after, new RegExp(`^${served.kubeconfig.replaceAll('.', '\\.')}$`, 'm'), "the laptop's KUBECONFIG is the lab's");
  await screenshot(page, 'laptop-tab');
});

test('no errors in the page', () => {
  assert.deepEqual(pageErrors, []);
});
