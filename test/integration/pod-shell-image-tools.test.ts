/**
 * A pod shell only has the network tools its image ships: busybox has wget/ping/ip but no curl (ash's `not found`),
 * nginx (Debian) has curl but no ping (dash's `not found`), and a distroless image has no sh at all (runc's error, 126).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import { openTerminal, startShellLab, type ShellLab } from './shell-fixture.ts';
import { deploy, seedDeployment } from './network-fixture.ts';

let s: ShellLab;
let busybox: Pod;
let nginx: Pod;
let echo: Pod;
before(async () => {
  s = await startShellLab();
  [busybox] = await deploy(s.lab, seedDeployment('bb', 1, 'busybox:1.36', { command: ['sleep', '3600'] }));
  [nginx] = await deploy(s.lab, seedDeployment('web', 1, 'nginx:1.27'));
  [echo] = await deploy(s.lab, seedDeployment('echo', 1, 'kicbase/echo-server:1.0'));
});
after(() => s.close());

const PROMPT = /root@master:~# $/;


test('kubectl exec -it into busybox: curl is not found (127), wget works', async () => {
  const t = await openTerminal(s);
  try {
    await t.step(`kubectl exec -it ${busybox.metadata!.name} -- sh\r`, /\r\n\/ # $/);
    assert.equal(await t.step('curl -s clusterip-hostname-service; echo $?\r', /\/ # $/), 'curl -s clusterip-hostname-service; echo $?\r\nsh: curl: not found\r\n127\r\n/ # ');
    assert.match(await t.step('wget -qO- clusterip-hostname-service | grep -c Hello\r', /\/ # $/), /\r\n1\r\n/);
    await t.step('exit\r', PROMPT);
  } finally {
    t.close();
  }
});

test('kubectl exec -it into nginx: ping is dash\'s not found (127), curl works', async () => {
  const t = await openTerminal(s);
  try {
    await t.step(`kubectl exec -it ${nginx.metadata!.name} -- sh\r`, /# $/);
    assert.match(await t.step('ping -c 1 10.96.0.10; echo $?\r', /# $/), /\r\nsh: 1: ping: not found\r\n127\r\n/);
    assert.match(await t.step('wget -qO- clusterip-hostname-service; echo $?\r', /# $/), /\r\nsh: 1: wget: not found\r\n127\r\n/);
    assert.match(await t.step('curl -s clusterip-hostname-service | grep -c Hello\r', /# $/), /\r\n1\r\n/);
    await t.step('exit\r', PROMPT);
  } finally {
    t.close();
  }
});

test('kubectl exec -it into a distroless image: no sh, runc\'s error and exit code 126', async () => {
  const t = await openTerminal(s);
  try {
    const out = await t.step(`kubectl exec -it ${echo.metadata!.name} -- sh; echo $?\r`, PROMPT);
    assert.match(out, /\r\nOCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in \$PATH: unknown\r\ncommand terminated with exit code 126\r\n126\r\n/);
    const abs = await t.step(`kubectl exec -it ${echo.metadata!.name} -- /bin/sh\r`, PROMPT);
    assert.match(abs, /\r\nOCI runtime exec failed: exec failed: unable to start container process: exec: "\/bin\/sh": stat \/bin\/sh: no such file or directory: unknown\r\n/);
  } finally {
    t.close();
  }
});
