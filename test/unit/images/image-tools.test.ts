/** Which shell and network tools each catalogue image ships, and its shell's `not found` text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shellNotFoundText, toolsOfImage } from '../../../src-main/node/images/catalogue.ts';

test('busybox and alpine: busybox ash with wget/nslookup/ping/ip applets, no curl', () => {
  for (const image of ['busybox', 'busybox:1.36', 'alpine:3.20', 'docker.io/library/alpine']) {
    const t = toolsOfImage(image)!;
    assert.equal(t.shell, 'ash', image);
    assert.deepEqual([...t.tools].sort(), ['ip', 'nslookup', 'ping', 'wget'], image);
  }
});

test('Debian images: dash; nginx has curl only, httpd nothing', () => {
  assert.deepEqual(toolsOfImage('nginx:1.27'), { shell: 'dash', tools: ['curl'] });
  assert.deepEqual(toolsOfImage('httpd:2.4'), { shell: 'dash', tools: [] });
});

test('agnhost (alpine + bind-tools, curl, iproute2) has all five; distroless images have no shell', () => {
  assert.deepEqual([...toolsOfImage('registry.k8s.io/e2e-test-images/agnhost:2.52')!.tools].sort(), ['curl', 'ip', 'nslookup', 'ping', 'wget']);
  for (const image of ['kicbase/echo-server:1.0', 'hashicorp/http-echo', 'gcr.io/google-samples/hello-app:1.0']) assert.equal(toolsOfImage(image)?.shell, null, image);
});

test('images outside the catalogue or unparsable references have no entry', () => {
  assert.equal(toolsOfImage('example.com/nope:1'), undefined);
  assert.equal(toolsOfImage('Not A Reference'), undefined);
});

test('not found: busybox ash vs dash wording', () => {
  assert.equal(shellNotFoundText('ash', 'curl'), 'sh: curl: not found\n');
  assert.equal(shellNotFoundText('dash', 'ping'), 'sh: 1: ping: not found\n');
});
