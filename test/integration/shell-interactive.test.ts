/**
 * A cluster terminal driven by keystrokes: ssh between nodes and back, `kubectl exec -it <pod> -- sh` (busybox
 * prompt, the pod's hostname, IP, resolv.conf and service env), Ctrl-C cutting short `kubectl get -w`, a curl loop,
 * sleep and watch, tab completion of commands, kubectl verbs, kinds, names, flags and files, history and help.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTerminal, startShellLab, type ShellLab } from './shell-fixture.ts';

let s: ShellLab;
before(async () => { s = await startShellLab(); });
after(() => s.close());

const PROMPT = /root@master:~# $/;


test('ssh to a worker and exit back: a login shell says logout, ssh says the connection closed', async () => {
  const t = await openTerminal(s);
  try {
    await t.step('ssh worker2\r', /root@worker2:~# $/);
    assert.equal(await t.step('hostname\r', /root@worker2:~# $/), 'hostname\r\nworker2\r\nroot@worker2:~# ');
    assert.equal(await t.step('exit\r', PROMPT), 'exit\r\nlogout\r\nConnection to worker2 closed.\r\nroot@master:~# ');
    assert.equal(await t.step('hostname\r', PROMPT), 'hostname\r\nmaster\r\nroot@master:~# ');
  } finally {
    t.close();
  }
});

test('kubectl exec -it <pod> -- sh: busybox prompt, the pod\'s hostname, IP, resolv.conf and service variables', async () => {
  const t = await openTerminal(s);
  const pod = s.clientPod;
  try {
    await t.step(`kubectl exec -it ${pod.metadata!.name} -- sh\r`, /\r\n\/ # $/);
    assert.equal(await t.step('hostname; pwd\r', /\/ # $/), `hostname; pwd\r\n${pod.metadata!.name}\r\n/\r\n/ # `);
    const env = await t.step('echo $CLUSTERIP_HOSTNAME_SERVICE_SERVICE_HOST:$CLUSTERIP_HOSTNAME_SERVICE_SERVICE_PORT $KUBERNETES_SERVICE_HOST\r', /\/ # $/);
    assert.match(env, new RegExp(`\\r\\n${s.clusterIP.replace(/\./g, '\\.')}:80 10\\.96\\.0\\.1\\r\\n`));
    assert.match(await t.step('ip addr | grep "inet "\r', /\/ # $/), new RegExp(`inet ${pod.status!.podIP!.replace(/\./g, '\\.')}/24 `));
    assert.match(await t.step('cat /etc/resolv.conf\r', /\/ # $/), /\r\nsearch default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\r\nnameserver 10\.96\.0\.10\r\noptions ndots:5\r\n/);
    assert.match(await t.step('wget -qO- clusterip-hostname-service | grep -c Hello\r', /\/ # $/), /\r\n1\r\n/);
    assert.match(await t.step('cd /tmp; pwd\r', /\/tmp # $/), /\r\n\/tmp\r\n/);
    assert.match(await t.step('cd /nope\r', /\/tmp # $/), /\r\nsh: cd: can't cd to \/nope: No such file or directory\r\n/);
    assert.match(await t.step('echo )\r', /\/tmp # $/), /\r\nsh: syntax error: unexpected "\)"\r\n/);
    assert.match(await t.step('nosuchcmd\r', /\/tmp # $/), /\r\nsh: nosuchcmd: not found\r\n/);
    assert.equal(await t.step('exit\r', PROMPT), 'exit\r\nroot@master:~# ', 'busybox ash says nothing on exit');
  } finally {
    t.close();
  }
});

test('Ctrl-C stops kubectl get -w, a curl loop, ping, sleep and watch; $? is 130', async () => {
  const t = await openTerminal(s);
  try {
    await t.step('kubectl get pods -w\r', /hostname-server-\S+ +1\/1 +Running[^\n]*\r\n[^\n]*hostname-server-\S+ +1\/1 +Running[^\n]*\r\n/);
    await t.step('\x03', /\^C\r\nroot@master:~# $/);
    assert.match(await t.step('echo $?\r', PROMPT), /\r\n130\r\n/);
    await t.step('while true; do curl -s -m 1 http://10.96.0.99; echo "rc=$?"; done\r', /do curl[^\n]*\r\n/);
    for (let i = 0; i < 3; i++) await s.lab.cluster.advance(1000);
    await t.until(/rc=28\r\n/, 0);
    await t.step('\x03', /\^C\r\nroot@master:~# $/);
    const pinged = await t.step('ping 192.168.56.11\r', /icmp_seq=1 /);
    await s.lab.cluster.advance(1000);
    await t.until(/icmp_seq=2 /, t.screen.length - pinged.length);
    assert.match(await t.step('\x03', PROMPT), /^\^C\r\n\r\n--- 192\.168\.56\.11 ping statistics ---\r\n2 packets transmitted, 2 received, 0% packet loss, time \d+ms\r\nrtt min\/avg\/max\/mdev = [\d./]+ ms\r\nroot@master:~# $/, 'ping sums up on SIGINT');
    await t.step('sleep 1000\r', /sleep 1000\r\n$/);
    await t.step('\x03', /\^C\r\nroot@master:~# $/);
    await t.step('watch -n 2 kubectl get svc\r', /Every 2\.0s: kubectl get svc[\s\S]*clusterip-hostname-service/);
    await t.step('\x03', /root@master:~# $/);
    assert.match(await t.step('echo $?\r', PROMPT), /\r\n130\r\n/);
  } finally {
    t.close();
  }
});

test('tab completion: commands, kubectl verbs, kinds, names, flags, namespaces, -o values and files', async () => {
  const t = await openTerminal(s);
  const clear = () => t.step('\x03', PROMPT);
  try {
    assert.equal(await t.step('kubec\t', /kubectl $/), 'kubectl ');
    assert.equal(await t.step('ge\t', /get $/), 'get ');
    assert.equal(await t.step('deploy\t', /apps $/), 'deployments.apps ', 'kubectl api-resources -o name spelling');
    assert.equal(await t.step('h\t', /hostname-server $/), 'hostname-server ');
    await clear();
    const pods = s.pods.map((p) => p.metadata!.name!);
    await t.step('kubectl get pods hostname-server-\t', /kubectl get pods hostname-server-\S*$/);
    const listed = await t.step('\t\t', /root@master:~# kubectl get pods hostname-server-\S*$/);
    for (const name of pods) assert.ok(listed.includes(name), `${name} listed:\n${listed}`);
    await clear();
    assert.ok((await t.step(`kubectl logs ${pods[1]!.slice(0, -2)}\t`, /\S $/)).endsWith(`${pods[1]} `));
    await clear();
    assert.ok((await t.step('kubectl get pods --all-n\t', /namespaces $/)).endsWith('pods --all-namespaces '));
    await clear();
    assert.ok((await t.step('kubectl get svc -n kube-sy\t', /system $/)).endsWith('-n kube-system '));
    assert.equal(await t.step('kube-\t', /kube-dns $/), 'kube-dns ', 'names come from the -n namespace');
    await clear();
    assert.ok((await t.step('kubectl get svc -o js\t', /json$/)).endsWith('-o json'), 'json, jsonpath...: the common part');
    assert.equal(await t.step('\t', /\x07$/), '\x07', 'the first Tab only rings the bell');
    assert.match(await t.step('\t', /jsonpath/), /^\r\njson {2}jsonpath {2}jsonpath-as-json {2}jsonpath-file\r\n/);
    await clear();
    assert.ok((await t.step('kubectl rollout st\t', /status $/)).endsWith('rollout status '));
    assert.match(await t.step('d\t\t', /daemonset {2}deployment\r\n/), /\r\ndaemonset {2}deployment\r\n/, 'daemonset, deployment, statefulset');
    assert.equal(await t.step('ep\t', /eployment $/), 'eployment ');
    await clear();
    assert.ok((await t.step('kubectl describe deployment/h\t', /server $/)).endsWith('deployment/hostname-server '));
    await clear();
    // (~/k8s_lab is the lab home's, with the seed's manifests.)
    await t.step('mkdir -p mylab && echo "kind: Service" > mylab/service.yaml\r', PROMPT);
    assert.ok((await t.step('kubectl apply -f myl\t', /mylab\/$/)).endsWith('-f mylab/'));
    assert.equal(await t.step('se\t', /service\.yaml $/), 'service.yaml ');
    await clear();
    assert.ok((await t.step('kubectl create dep\t', /deployment $/)).endsWith('create deployment '));
    await clear();
  } finally {
    t.close();
  }
});

test('history lists what was typed; help lists the commands; an unknown command is bash\'s 127', async () => {
  const t = await openTerminal(s);
  try {
    await t.step('echo one\r', PROMPT);
    const history = await t.step('history | tail -n 2\r', PROMPT);
    assert.match(history, /\r\n {2,}\d+ {2}echo one\r\n {2,}\d+ {2}history \| tail -n 2\r\n/);
    const help = await t.step('help | grep -E "^ (curl|kubectl|nslookup|iptables) "\r', PROMPT);
    assert.match(help, /\r\n curl +transfer a URL\r\n iptables +administration tool/);
    assert.match(help, /\r\n kubectl +kubectl controls the Kubernetes cluster manager\r\n nslookup +query Internet name servers\r\n/);
    assert.equal(await t.step('foo; echo $?\r', PROMPT), 'foo; echo $?\r\nbash: foo: command not found\r\n127\r\nroot@master:~# ');
  } finally {
    t.close();
  }
});
