/** Which shell and programs each catalogue image ships (its Dockerfile's), and its shell's `not found` text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shellNotFoundText, toolsOfImage } from '../../../src-main/node/images/catalogue.ts';

const NET = ['curl', 'wget', 'nslookup', 'dig', 'ping', 'ip', 'nc', 'getent', 'ps'];
const net = (image: string) => NET.filter((t) => toolsOfImage(image)!.userland!.executables.includes(t)).sort();

test('busybox: ash and the applets (wget, nslookup, ping, ip, nc, ps, vi...), no curl, no getent', () => {
  for (const image of ['busybox', 'busybox:1.36']) {
    const t = toolsOfImage(image)!;
    assert.equal(t.shell, 'ash', image);
    assert.deepEqual(net(image), ['ip', 'nc', 'nslookup', 'ping', 'ps', 'wget'], image);
    for (const applet of ['sh', 'ls', 'cat', 'grep', 'head', 'tail', 'wc', 'env', 'hostname', 'sleep', 'vi']) assert.ok(t.userland!.executables.includes(applet), applet);
  }
  assert.deepEqual(net('alpine:3.20'), ['getent', 'ip', 'nc', 'nslookup', 'ping', 'ps', 'wget']);
});

test('Debian images: dash and coreutils; nginx and takytaky/hostname add curl, nothing else of the network', () => {
  for (const image of ['nginx:1.27', 'takytaky/hostname']) {
    assert.equal(toolsOfImage(image)!.shell, 'dash', image);
    assert.deepEqual(net(image), ['curl', 'getent'], image);
    for (const tool of ['head', 'tail', 'grep', 'sed', 'awk', 'bash', 'env', 'hostname']) assert.ok(toolsOfImage(image)!.userland!.executables.includes(tool), `${image} ${tool}`);
    for (const tool of ['ps', 'vi', 'ping', 'wget']) assert.ok(!toolsOfImage(image)!.userland!.executables.includes(tool), `${image} has no ${tool}`);
  }
  assert.deepEqual(net('httpd:2.4'), ['getent']);
  assert.equal(toolsOfImage('takytaky/hostname')!.userland!.workdir, '/var/www/html');
});

test('agnhost (alpine + bind-tools, curl, iproute2): BIND\'s nslookup and dig; distroless images have no shell', () => {
  const agnhost = 'registry.k8s.io/e2e-test-images/agnhost:2.52';
  assert.deepEqual(net(agnhost), ['curl', 'dig', 'getent', 'ip', 'nc', 'nslookup', 'ping', 'ps', 'wget']);
  assert.equal(toolsOfImage(agnhost)!.userland!.bindTools, true);
  for (const image of ['kicbase/echo-server:1.0', 'hashicorp/http-echo', 'gcr.io/google-samples/hello-app:1.0']) {
    assert.equal(toolsOfImage(image)?.shell, null, image);
    assert.equal(toolsOfImage(image)?.userland, undefined, image);
  }
});

test('images outside the catalogue or unparsable references have no entry', () => {
  assert.equal(toolsOfImage('example.com/nope:1'), undefined);
  assert.equal(toolsOfImage('Not A Reference'), undefined);
});

test('not found: busybox ash vs dash wording', () => {
  assert.equal(shellNotFoundText('ash', 'curl'), 'sh: curl: not found\n');
  assert.equal(shellNotFoundText('dash', 'ping'), 'sh: 1: ping: not found\n');
});
