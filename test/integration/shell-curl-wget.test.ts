/**
 * curl (8.5.0, as on the nodes' Ubuntu 24.04) and wget (GNU Wget 1.21.4 on nodes, BusyBox in pods) against the seed's
 * services over the real node workers: every flag the lessons use, and the tools' own error texts, exit codes and
 * waits (on the cluster clock) for refused, unreachable, unresolvable and silent destinations.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runAt, startShellLab, type ShellLab } from './shell-fixture.ts';

let s: ShellLab;
before(async () => { s = await startShellLab(); });
after(() => s.close());

/** A ClusterIP range address no Service owns: nothing answers the SYN. */
const SILENT = '10.96.0.99';
const URL = 'http://clusterip-hostname-service';

/** `client` is busybox (wget), `curl` a takytaky/hostname pod (Debian with curl). */
async function timed(place: 'master' | 'client' | 'curl', line: string) {
  const start = s.lab.cluster.clock.now();
  const r = await runAt(s, place === 'master' ? s.master : place === 'curl' ? s.curlClient : s.client, line);
  return { ...r, seconds: (s.lab.cluster.clock.now() - start) / 1000 };
}

test('curl: -s body, -I and -i headers, -o file, -w, piped progress meter', async () => {
  const body = await runAt(s, s.curlClient, `curl -s ${URL} | grep -c Hello`);
  assert.deepEqual([body.status, body.stdout, body.stderr], [0, '1\n', '']);
  const head = await runAt(s, s.curlClient, `curl -sI ${URL}`);
  assert.match(head.stdout, /^HTTP\/1\.1 200 OK\r\nDate: .+\r\nServer: Apache\/2\.4\.25 \(Debian\)\r\n[\s\S]*Content-Type: text\/html; charset=UTF-8\r\n\r\n$/);
  const include = await runAt(s, s.curlClient, `curl -si ${URL}`);
  assert.match(include.stdout, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n<!DOCTYPE html>|^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n[\s\S]*Hello/);
  const file = await runAt(s, s.curlClient, `curl -s -o page.html ${URL} && grep -c Hello page.html`);
  assert.equal(file.stdout, '1\n');
  const w = await runAt(s, s.master, `curl -s -o /dev/null -w '%{http_code} %{remote_port}\\n' http://${s.clusterIP}/`);
  assert.equal(w.stdout, '200 80\n');
  const meter = await runAt(s, s.curlClient, `curl ${URL} | wc -l`);
  assert.match(meter.stderr, /^ {2}% Total {4}% Received % Xferd {2}Average Speed {3}Time {4}Time {5}Time {2}Current\n {33}Dload {2}Upload {3}Total {3}Spent {4}Left {2}Speed\n/);
  assert.match(meter.stderr, /\r100 +\d+ +100 +\d+ +0 +0 +\d+ +0 --:--:-- --:--:-- --:--:-- +\d+\n$/);
});

test('curl: -v trace with -H, -X and -d, as curl 8.5.0 prints it', async () => {
  const r = await runAt(s, s.curlClient, `curl -sv -o /dev/null -H 'X-Lab: 1' -X PUT -d a=1 ${URL}/`);
  assert.equal(r.status, 0, r.stderr);
  const ip = new RegExp(`^\\*   Trying (\\d+\\.\\d+\\.\\d+\\.\\d+):80\\.\\.\\.\\n`).exec(r.stderr)?.[1];
  assert.equal(ip, s.clusterIP);
  const lines = r.stderr.split('\n');
  assert.deepEqual(lines.slice(1, 9), [
    `* Connected to clusterip-hostname-service (${ip}) port 80`,
    '> PUT / HTTP/1.1', '> Host: clusterip-hostname-service', '> User-Agent: curl/8.5.0', '> Accept: */*', '> X-Lab: 1',
    '> Content-Length: 3', '> Content-Type: application/x-www-form-urlencoded',
  ]);
  assert.match(r.stderr, /\n> \n< HTTP\/1\.1 200 OK\n[\s\S]*\n< \n\{ \[\d+ bytes data\]\n\* Connection #0 to host clusterip-hostname-service left intact\n$/);
  // Into the terminal itself the body is shown, so curl does not announce it.
  const shown = await runAt(s, s.curlClient, `curl -sv ${URL} > /dev/null`);
  assert.match(shown.stderr, /\{ \[\d+ bytes data\]/, 'redirected stdout is not a terminal');
});

test('curl: refused, no endpoints, -f, unresolvable, -s hides and -S shows errors, usage errors', async () => {
  const refused = await runAt(s, s.master, 'curl http://192.168.56.11:9999; echo "rc=$?"');
  assert.equal(refused.stderr, "curl: (7) Failed to connect to 192.168.56.11 port 9999 after 0 ms: Couldn't connect to server\n");
  assert.equal(refused.stdout, 'rc=7\n');
  const verbose = await runAt(s, s.master, 'curl -sv http://192.168.56.11:9999');
  assert.equal(verbose.stderr, [
    '*   Trying 192.168.56.11:9999...', '* connect to 192.168.56.11 port 9999 failed: Connection refused',
    "* Failed to connect to 192.168.56.11 port 9999 after 0 ms: Couldn't connect to server", '* Closing connection', '',
  ].join('\n'));
  // kube-proxy REJECTs a Service without endpoints: refused at once, by name from a pod.
  const empty = await runAt(s, s.curlClient, 'curl http://no-endpoints');
  assert.deepEqual([empty.status, empty.stderr], [7, "curl: (7) Failed to connect to no-endpoints port 80 after 0 ms: Couldn't connect to server\n"]);
  const fail = await runAt(s, s.curlClient, `curl -f ${URL}/nothing; echo "rc=$?"`);
  assert.equal(fail.stderr, 'curl: (22) The requested URL returned error: 404\n');
  assert.equal(fail.stdout, 'rc=22\n');
  const silent = await runAt(s, s.curlClient, `curl -sf ${URL}/nothing || echo failed`);
  assert.deepEqual([silent.stdout, silent.stderr], ['failed\n', '']);
  const shown = await runAt(s, s.curlClient, 'curl -sS http://nosuch-service');
  assert.deepEqual([shown.status, shown.stderr], [6, 'curl: (6) Could not resolve host: nosuch-service\n']);
  const node = await runAt(s, s.master, `curl -s ${URL}; echo $?`);
  assert.equal(node.stdout, '6\n', 'a node does not resolve service names');
  const noUrl = await runAt(s, s.master, 'curl');
  assert.deepEqual([noUrl.status, noUrl.stderr], [2, "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n"]);
  const badOpt = await runAt(s, s.master, `curl --bogus ${URL}`);
  assert.deepEqual([badOpt.status, badOpt.stderr], [2, "curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n"]);
  const badTime = await runAt(s, s.master, `curl -m abc ${URL}`);
  assert.deepEqual([badTime.status, badTime.stderr], [2, "curl: option -m: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n"]);
});

test('curl: -m, --connect-timeout and the kernel\'s SYN give-up, waited on the cluster clock', async () => {
  const m = await timed('master', `curl -m 2 http://${SILENT}`);
  assert.deepEqual([m.status, m.stderr], [28, 'curl: (28) Connection timed out after 2001 milliseconds\n']);
  assert.ok(m.seconds >= 2 && m.seconds < 4, `${m.seconds}`);
  const ct = await timed('master', `curl --connect-timeout 3 http://${SILENT}`);
  assert.deepEqual([ct.status, ct.stderr], [28, `curl: (28) Failed to connect to ${SILENT} port 80 after 3001 ms: Timeout was reached\n`]);
  // Both given: the smaller wins; -m's check comes first when they are equal.
  const both = await timed('master', `curl -m 5 --connect-timeout 1 http://${SILENT}`);
  assert.equal(both.stderr, `curl: (28) Failed to connect to ${SILENT} port 80 after 1001 ms: Timeout was reached\n`);
  const tie = await timed('master', `curl -m 1 --connect-timeout 1 http://${SILENT}`);
  assert.equal(tie.stderr, 'curl: (28) Connection timed out after 1001 milliseconds\n');
  const kernel = await timed('master', `curl -s -S http://${SILENT}/`);
  assert.deepEqual([kernel.status, kernel.stderr], [28, `curl: (28) Failed to connect to ${SILENT} port 80 after 130001 ms: Couldn't connect to server\n`]);
  assert.ok(kernel.seconds >= 130, `${kernel.seconds}`);
});

test('wget on a node (GNU Wget 1.21.4): download, -qO-, 404, refused, unresolvable, timeouts with retries', async () => {
  const ok = await runAt(s, s.master, `wget http://${s.clusterIP}/ && grep -c Hello index.html`);
  assert.equal(ok.stdout, '1\n', ok.stderr);
  const log = ok.stderr.split('\n');
  assert.match(log[0]!, new RegExp(`^--\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d--  http://${s.clusterIP.replace(/\./g, '\\.')}/$`));
  assert.equal(log[1], `Connecting to ${s.clusterIP}:80... connected.`);
  assert.equal(log[2], 'HTTP request sent, awaiting response... 200 OK');
  assert.match(log[3]!, /^Length: \d+ \[text\/html\]$/);
  assert.equal(log[4], 'Saving to: ‘index.html’');
  assert.match(ok.stderr, / - ‘index\.html’ saved \[(\d+)\/\1\]\n\n$/);
  const quiet = await runAt(s, s.master, `wget -qO- http://${s.clusterIP} | grep -c Hello`);
  assert.deepEqual([quiet.stdout, quiet.stderr], ['1\n', '']);
  const missing = await runAt(s, s.master, `wget http://${s.clusterIP}/nothing`);
  assert.equal(missing.status, 8);
  assert.match(missing.stderr, /HTTP request sent, awaiting response\.\.\. 404 Not Found\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ERROR 404: Not Found\.\n\n$/);
  const refused = await runAt(s, s.master, 'wget http://192.168.56.11:9999');
  assert.equal(refused.status, 4);
  assert.match(refused.stderr, /^--.+--  http:\/\/192\.168\.56\.11:9999\/\nConnecting to 192\.168\.56\.11:9999\.\.\. failed: Connection refused\.\n$/);
  const unknown = await runAt(s, s.master, 'wget http://nosuch-service/');
  assert.equal(unknown.status, 4);
  assert.match(unknown.stderr, /\nResolving nosuch-service \(nosuch-service\)\.\.\. failed: Name or service not known\.\nwget: unable to resolve host address ‘nosuch-service’\n$/);
  const slow = await timed('master', `wget -T 2 -t 2 http://${SILENT}/`);
  assert.equal(slow.status, 4);
  assert.match(slow.stderr, new RegExp([
    `^--(.+)--  http://${SILENT}/`, `Connecting to ${SILENT}:80\\.\\.\\. failed: Connection timed out\\.`, 'Retrying\\.', '',
    `--(.+)--  \\(try: 2\\)  http://${SILENT}/`, `Connecting to ${SILENT}:80\\.\\.\\. failed: Connection timed out\\.`, 'Giving up\\.', '', '$',
  ].join('\\n')));
  assert.ok(slow.seconds >= 5, `two 2 s timeouts and a 1 s wait between tries: ${slow.seconds}`);
});

test('wget in a pod (BusyBox): -qO-, -O file, 404, refused, -T timeout and the kernel\'s', async () => {
  const quiet = await runAt(s, s.client, `wget -qO- ${URL} | grep -c Hello`);
  assert.deepEqual([quiet.status, quiet.stdout, quiet.stderr], [0, '1\n', '']);
  const file = await runAt(s, s.client, `wget -O page ${URL}`);
  assert.equal(file.status, 0);
  assert.match(file.stderr, new RegExp(`^Connecting to clusterip-hostname-service \\(${s.clusterIP.replace(/\./g, '\\.')}:80\\)\\nsaving to 'page'\\npage +100% \\|\\*+\\| +\\d+  0:00:00 ETA\\n'page' saved\\n$`));
  const missing = await runAt(s, s.client, `wget -q ${URL}/nothing; echo $?`);
  assert.deepEqual([missing.stdout, missing.stderr], ['1\n', 'wget: server returned error: HTTP/1.1 404 Not Found\n']);
  const refused = await runAt(s, s.client, 'wget -q http://no-endpoints');
  assert.equal(refused.stderr, `wget: can't connect to remote host (${(await runAt(s, s.master, 'kubectl get svc no-endpoints -o jsonpath={.spec.clusterIP}')).stdout}): Connection refused\n`);
  const unknown = await runAt(s, s.client, 'wget -q http://nosuch-service');
  assert.deepEqual([unknown.status, unknown.stderr], [1, "wget: bad address 'nosuch-service'\n"]);
  const alarm = await timed('client', `wget -q -T 2 http://${SILENT}`);
  assert.deepEqual([alarm.status, alarm.stderr], [1, 'wget: download timed out\n']);
  const kernel = await timed('client', `wget -q http://${SILENT}`);
  assert.deepEqual([kernel.status, kernel.stderr], [1, `wget: can't connect to remote host (${SILENT}): Connection timed out\n`]);
  assert.ok(kernel.seconds >= 130, `${kernel.seconds}`);
});

// Last: it takes CoreDNS away for good.
test('with CoreDNS scaled to zero, names fail only after the resolver gives up (10 s), or at curl\'s -m', async () => {
  const scaled = await runAt(s, s.master, 'kubectl scale deployment coredns -n kube-system --replicas=0 && sleep 60 && kubectl get endpointslices -n kube-system -o jsonpath="{.items[*].endpoints}"');
  assert.deepEqual([scaled.status, scaled.stdout], [0, 'deployment.apps/coredns scaled\n'], scaled.stderr);
  const curl = await timed('curl', `curl -s ${URL}; echo "rc=$?"`);
  assert.equal(curl.stdout, 'rc=6\n');
  assert.ok(curl.seconds >= 10 && curl.seconds <= 11, `${curl.seconds}`);
  const capped = await timed('curl', `curl -sS -m 2 ${URL}`);
  assert.deepEqual([capped.status, capped.stderr], [28, 'curl: (28) Resolving timed out after 2001 milliseconds\n']);
  const wget = await timed('client', `wget -q ${URL}`);
  assert.deepEqual([wget.status, wget.stderr], [1, "wget: bad address 'clusterip-hostname-service'\n"]);
  assert.ok(wget.seconds >= 10 && wget.seconds <= 11, `${wget.seconds}`);
  // The ClusterIP itself needs no DNS.
  assert.match((await runAt(s, s.curlClient, `curl -s http://${s.clusterIP} | grep -c Hello`)).stdout, /^1\n$/);
});
