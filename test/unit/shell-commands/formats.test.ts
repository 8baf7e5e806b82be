import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatWriteOut, parseCurlArgs, splitUrl } from '../../../src-main/shell/commands/curl.ts';
import { parseWgetArgs } from '../../../src-main/shell/commands/wget.ts';
import { formatNodeRoutes, formatSs, nodeListeners } from '../../../src-main/shell/commands/ip-ss.ts';
import { parseIptablesArgs } from '../../../src-main/shell/commands/iptables.ts';
import { parseExecArgs } from '../../../src-main/shell/commands/system.ts';

test('curl: clustered short flags, flags with values, long options and curl errors', () => {
  const r = parseCurlArgs(['-sSfL', '-o', '/dev/null', '-w', '%{http_code}', '--connect-timeout', '2', '-m5', 'http://10.96.0.5']);
  assert.ok(r.ok);
  assert.deepEqual([r.options.silent, r.options.showError, r.options.fail, r.options.location, r.options.output, r.options.writeOut, r.options.connectTimeoutMs, r.options.maxTimeMs, r.options.url],
    [true, true, true, true, '/dev/null', '%{http_code}', 2000, 5000, 'http://10.96.0.5']);
  assert.deepEqual(parseCurlArgs(['-s']), { ok: false, code: 2, message: "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information" });
  const bad = parseCurlArgs(['--bogus', 'x']);
  assert.ok(!bad.ok && bad.message.startsWith('curl: option --bogus: is unknown'));
  const h = parseCurlArgs(['-H', 'Host: a', '-XPOST', '-d', 'a=1', '-d', 'b=2', 'x']);
  assert.ok(h.ok && h.options.method === 'POST' && h.options.data === 'a=1&b=2' && h.options.headers[0] === 'Host: a');
});

test('curl: -w variables and URL defaults', () => {
  assert.equal(formatWriteOut('%{http_code}\\n%{remote_ip}', { http_code: '200', remote_ip: '10.244.1.5' }), '200\n10.244.1.5');
  assert.deepEqual(splitUrl('10.96.0.5:8080/x?y=1'), { scheme: 'http', host: '10.96.0.5', port: 8080, path: '/x?y=1', hostHeader: '10.96.0.5:8080' });
  assert.equal(splitUrl('http://svc')!.path, '/');
});

test('wget: -qO- and -T', () => {
  const o = parseWgetArgs(['-qO-', '-T', '3', 'http://svc']);
  assert.ok(typeof o !== 'string');
  assert.deepEqual([o.quiet, o.output, o.timeoutMs, o.url], [true, '-', 3000, 'http://svc']);
});

test('ip route: own pod CIDR on cni0, other nodes over flannel.1, sorted', () => {
  const text = formatNodeRoutes({ name: 'worker1', ip: '192.168.56.11', podCIDR: '10.244.1.0/24', peers: [{ podCIDR: '10.244.2.0/24' }, { podCIDR: '10.244.0.0/24' }], pods: [], controlPlane: false });
  assert.equal(text, [
    'default via 192.168.56.1 dev eth0 proto static ',
    '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink ',
    '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1',
    '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ',
    '192.168.56.0/24 dev eth0 proto kernel scope link src 192.168.56.11 ',
  ].join('\n') + '\n');
});

test('ss -tlnp: kubelet and kube-proxy ports, no NodePort sockets', () => {
  const text = formatSs(nodeListeners(false, '192.168.56.11'), true);
  assert.match(text.split('\n')[0]!, /^State\s+Recv-Q\s+Send-Q\s+Local Address:Port\s+Peer Address:PortProcess$/);
  assert.match(text, /\*:10250\s+\*:\*\s+users:\(\("kubelet",pid=\d+,fd=\d+\)\)/);
  assert.match(text, /127\.0\.0\.1:10249/);
  assert.doesNotMatch(text, /:30080/);
});

test('iptables and kubectl exec argument handling', () => {
  assert.deepEqual(parseIptablesArgs(['-t', 'nat', '-L', 'KUBE-SERVICES', '-nv', '--line-numbers']), { table: 'nat', action: 'list', chain: 'KUBE-SERVICES', numeric: true, verbose: true, exact: false, lineNumbers: true });
  assert.match(String(parseIptablesArgs(['-t', 'nat'])), /no command specified/);
  assert.deepEqual(parseExecArgs(['exec', '-it', 'web-1', '-n', 'demo', '--', 'sh']), { namespace: 'demo', pod: 'web-1', stdin: true, tty: true, command: ['sh'] });
});
