import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../src-main/cluster/cluster.ts';
import { ManualClock } from '../../src-main/clock/clock.ts';
import { startApiServer } from '../../src-main/apiserver/server.ts';
import { byKind } from '../../src-main/api/resources.ts';
import { builtinKubectl } from '../../src-main/host/builtin-kubectl.ts';
import { TerminalManager } from '../../src-main/host/terminals/manager.ts';
import { seedDeployment } from '../fixtures/seed.ts';

const DEPLOYMENTS = byKind('Deployment');
const TOKEN = 'edit-test-token';

/** A cluster terminal with the built-in kubectl talking HTTPS to a real API server; `until` reads the output since `mark()`. */
async function terminal(t: { after(fn: () => Promise<void>): void }) {
  const cluster = await Cluster.start({ nodes: 1, clock: new ManualClock(), controllers: false });
  const api = await startApiServer({ registry: cluster.registry, clock: cluster.clock, token: TOKEN });
  const terminals = new TerminalManager({ cluster, kubectl: builtinKubectl(api.url, TOKEN, api.caData, '/nonexistent').hook });
  t.after(async () => {
    terminals.dispose();
    await api.close();
    await cluster.close();
  });
  cluster.registry.create(DEPLOYMENTS, 'default', seedDeployment('x', 2, 'nginx:1.27'));
  let out = '';
  let from = 0;
  terminals.on('terminal.data', (p) => (out += p.data));
  const { id } = await terminals.open({ kind: 'cluster', node: cluster.nodes()[0]!.name, cols: 80, rows: 24 });
  // Colours (vi highlights the YAML) are left out: the tests read the text and where it goes.
  const read = () => out.slice(from).replace(/\x1b\[[0-9;]*m/g, '');
  const until = async (re: RegExp, ms = 20_000): Promise<string> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (re.test(read())) return read();
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${re}; got:\n${JSON.stringify(read())}`);
  };
  const type = (data: string) => terminals.input({ id, data });
  const mark = () => void (from = out.length);
  const replicas = () => (cluster.registry.get(DEPLOYMENTS, 'default', 'x') as unknown as { spec: { replicas: number } }).spec.replicas;
  const shell = (line: string) => terminals.runLine({ kind: 'node', node: cluster.nodes()[0]!.name }, line);
  await until(/# $/);
  return { type, until, mark, replicas, shell, resize: (cols: number, rows: number) => terminals.resize({ id, cols, rows }) };
}

const OPENED = /\x1b\[\?1049h[^]*"\/tmp\/kubectl-edit-\d+\.yaml" \d+L, \d+B[^]*1,1 {11}Top/;

test('kubectl edit opens vi in the terminal; editing replicas with vi keys and :wq patches the deployment', async (t) => {
  const term = await terminal(t);
  term.mark();
  term.type('kubectl edit deployment x\r');
  let screen = await term.until(OPENED);
  assert.match(screen, /\x1b\[1;1H# Please edit the object below\. Lines beginning with a '#' will be ignored,\x1b\[K/);
  // The second header line is wider than 80 columns: vi wraps it.
  assert.match(screen, /\x1b\[2;1H# and an empty file will abort the edit\. If an error occurs while saving this fi\x1b\[3;1Hle will be\x1b\[K/);
  assert.match(screen, /\x1b\[6;1HapiVersion: apps\/v1\x1b\[K/);
  term.mark();
  term.resize(100, 30);
  await term.until(/\x1b\[2J[^]*\x1b\[30;83H1,1 {11}Top/);
  term.mark();
  term.type('/replicas\r');
  screen = await term.until(/\/replicas\x1b\[30;83H\d+,3 /);
  term.type('$r5');
  term.mark();
  term.type(':wq');
  await term.until(/:wq/);
  term.mark();
  term.type('\r');
  screen = await term.until(/deployment\.apps\/x edited\r\n[^]*# $/);
  assert.match(screen, /^[^]*\x1b\[\?1049l/);
  assert.equal(term.replicas(), 5);
  const left = await term.shell('ls /tmp');
  assert.doesNotMatch(left.stdout, /kubectl-edit/, 'the temp file is removed after a successful edit');
});

test('kubectl edit then :q! changes nothing', async (t) => {
  const term = await terminal(t);
  term.mark();
  term.type('kubectl edit deploy/x\r');
  await term.until(OPENED);
  term.type('ddjdd');
  term.mark();
  term.type(':q\r');
  await term.until(/E37: No write since last change \(add ! to override\)/);
  term.mark();
  term.type(':q!\r');
  const screen = await term.until(/# $/);
  assert.match(screen, /\x1b\[\?1049lEdit cancelled, no changes made\.\r\n/);
  assert.equal(term.replicas(), 2);
});

test('an invalid edit re-opens vi with the error header; quitting unchanged keeps a copy', async (t) => {
  const term = await terminal(t);
  term.mark();
  term.type('kubectl edit deployment x\r');
  await term.until(OPENED);
  term.type('/replicas: 2\r');
  await term.until(/\/replicas: 2/);
  term.mark();
  term.type('$s-1\x1b:wq\r');
  let screen = await term.until(OPENED);
  assert.match(screen, /error: deployments\.apps "x" is invalid\r\n/);
  assert.match(screen, /\x1b\[5;1H#\x1b\[K\x1b\[6;1H# deployments\.apps "x" was not valid:\x1b\[K\x1b\[7;1H# \* spec\.replicas: Invalid value: -1: must be greater than or equal to 0\x1b\[K\x1b\[8;1H#\x1b\[K\x1b\[9;1HapiVersion: apps\/v1/);
  assert.equal(term.replicas(), 2);
  term.mark();
  term.type(':q\r');
  screen = await term.until(/# $/);
  const copy = /A copy of your changes has been stored to "(\/tmp\/kubectl-edit-\d+\.yaml)"\r\nerror: Edit cancelled, no valid changes were saved\.\r\n/.exec(screen);
  assert.ok(copy, JSON.stringify(screen));
  const kept = await term.shell(`grep -n replicas ${copy[1]}`);
  assert.equal(kept.stdout, "6:# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n21:  replicas: -1\n");
  term.mark();
  term.type('kubectl edit deployment x\r');
  await term.until(OPENED);
  term.type('/replicas\r$s-1\x1b:wq\r');
  await term.until(/was not valid/);
  term.mark();
  term.type('/  replicas: -\rf-x:wq\r');
  screen = await term.until(/# $/);
  assert.match(screen, /deployment\.apps\/x edited\r\n/);
  assert.equal(term.replicas(), 1);
});
