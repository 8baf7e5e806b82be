import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { ImageCatalogue } from '../../../src-main/node/images/catalogue.ts';
import { offlinePullError, parseImageReference } from '../../../src-main/node/images/reference.ts';
import type { ContainerContext, HttpRequest, RunningProgram } from '../../../src-main/node/images/types.ts';

function start(image: string, over: Partial<ContainerContext> = {}) {
  const clock = new ManualClock();
  const logs: string[] = [];
  const exits: number[] = [];
  const r = new ImageCatalogue().pull(image);
  assert.ok(r.ok, `pull ${image}`);
  const ctx: ContainerContext = {
    podName: 'hostname-server-7c85cc96dc-hrjt4', namespace: 'default', hostname: 'hostname-server-7c85cc96dc-hrjt4',
    podIP: '10.244.1.5', nodeName: 'worker1', containerName: 'c', env: {}, clock, files: new Map(), services: {},
    log: (_s, l) => logs.push(l), exit: c => exits.push(c), ...over,
  };
  const program = r.image.program.start(ctx);
  return { program, logs, exits, clock };
}
const get = (path: string): HttpRequest => ({ method: 'GET', path, httpVersion: 'HTTP/1.1', headers: [['Host', '10.244.1.5'], ['User-Agent', 'curl/8.5.0']], body: '' });
const conn = { clientIP: '10.244.0.0', clientPort: 51234, localPort: 80 };
async function http(p: RunningProgram, path: string) { return p.handleHttp!(get(path), conn); }

test('references normalise like containerd; offline pulls fail with the resolver error', () => {
  const r = parseImageReference('registry.k8s.io/e2e-test-images/agnhost:2.53');
  assert.deepEqual([r.domain, r.path, r.tag], ['registry.k8s.io', 'e2e-test-images/agnhost', '2.53']);
  assert.equal(parseImageReference('takytaky/hostname').path, 'takytaky/hostname');
  assert.match(offlinePullError(parseImageReference('quay.io/x/y:v1')), /Head "https:\/\/quay\.io\/v2\/x\/y\/manifests\/v1": dial tcp: lookup quay\.io: no such host$/);
  const miss = new ImageCatalogue().pull('mycompany/app:1.0');
  assert.equal(miss.ok, false);
});

test("takytaky/hostname prints the seed's Hello line", async () => {
  const { program } = start('takytaky/hostname');
  const res = await http(program, '/');
  assert.equal(res.status, 200);
  const line = res.body.split('\n').find(l => l.includes('Hello'));
  assert.equal(line, '        <p>Hello,  hostname-server-7c85cc96dc-hrjt4</p> </blockquote>');
});

test('nginx serves the welcome page, 404s, and writes combined access logs', async () => {
  const { program, logs } = start('nginx');
  assert.ok(logs.includes('/docker-entrypoint.sh: Configuration complete; ready for start up'));
  const res = await http(program, '/');
  assert.equal(res.status, 200);
  assert.ok(res.body.includes('<h1>Welcome to nginx!</h1>'));
  assert.equal(res.headers.find(([k]) => k === 'Content-Length')![1], '615');
  assert.match(res.headers.find(([k]) => k === 'Server')![1], /^nginx\/1\.27\.\d+$/);
  assert.match(logs.at(-1)!, /^10\.244\.0\.0 - - \[01\/Jan\/2026:00:00:00 \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/8\.5\.0" "-"$/);
  const nf = await http(program, '/nope');
  assert.equal(nf.status, 404);
  assert.ok(nf.body.includes('<center><h1>404 Not Found</h1></center>'));
});

test('httpd, http-echo, hello-app, echo-server and agnhost answer like the real images', async () => {
  assert.equal((await http(start('httpd').program, '/')).body, '<html><body><h1>It works!</h1></body></html>\n');
  const echo = start('hashicorp/http-echo', { args: ['-text=hi there'] });
  assert.equal((await http(echo.program, '/')).body, 'hi there\n');
  assert.deepEqual(echo.program.listens(), [{ port: 5678, protocol: 'TCP' }]);
  assert.equal((await http(start('gcr.io/google-samples/hello-app:1.0').program, '/')).body, 'Hello, world!\nVersion: 1.0.0\nHostname: hostname-server-7c85cc96dc-hrjt4\n');
  assert.match((await http(start('kicbase/echo-server:1.0').program, '/x')).body, /^Request served by hostname-server-7c85cc96dc-hrjt4\n\nGET \/x HTTP\/1\.1\n/);
  const ag = start('registry.k8s.io/e2e-test-images/agnhost:2.53', { args: ['netexec', '--http-port=8080'] });
  assert.equal((await http(ag.program, '/clientip')).body, '10.244.0.0:51234');
  assert.equal((await http(ag.program, '/hostname')).body, 'hostname-server-7c85cc96dc-hrjt4');
  assert.equal((await http(ag.program, '/echo?msg=hello')).body, 'hello');
  assert.equal((await http(ag.program, '/healthz')).status, 200);
});

test('busybox exec: hostname, echo, cat, env, wget via injected fetch, missing binaries', async () => {
  const fetch = async () => ({ status: 200, reason: 'OK', headers: [], body: 'pong\n' });
  const { program } = start('busybox', { command: ['sleep', '3600'], env: { FOO: 'bar' }, services: { fetch } });
  const run = async (argv: string[]) => {
    let out = '', err = '';
    const code = await program.exec(argv, { stdout: d => { out += d; }, stderr: d => { err += d; } });
    return { code, out, err };
  };
  assert.equal((await run(['hostname'])).out, 'hostname-server-7c85cc96dc-hrjt4\n');
  assert.equal((await run(['sh', '-c', 'echo $FOO && echo "x y"'])).out, 'bar\nx y\n');
  assert.equal((await run(['wget', '-qO-', 'http://svc'])).out, 'pong\n');
  const miss = await run(['cat', '/nope']);
  assert.equal(miss.code, 1);
  assert.equal(miss.err, "cat: can't open '/nope': No such file or directory\n");
  assert.equal((await run(['sh', '-c', 'nosuch'])).code, 127);
  await assert.rejects(program.exec(['bash'], { stdout: () => {}, stderr: () => {} }), /executable file not found in \$PATH/);
});

test('busybox main process: sh -c loop logs lines and exit codes propagate', async () => {
  const { logs, exits, clock } = start('busybox', { command: ['sh', '-c', 'for i in 1 2 3; do echo tick $i; sleep 1; done; exit 4'] });
  for (let i = 0; i < 40; i++) { clock.advance(100); await new Promise(r => setImmediate(r)); }
  assert.deepEqual(logs, ['tick 1', 'tick 2', 'tick 3']);
  assert.deepEqual(exits, [4]);
});
