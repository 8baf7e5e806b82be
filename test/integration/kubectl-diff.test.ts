/**
 * Differential test: each command runs through the real kubectl 1.32 and through ours, against two API servers
 * seeded identically and kept in lockstep (read-only commands both run against the oracle's server). stdout, stderr
 * and the exit code must match exactly; ages, uids and timestamps are masked only when the raw texts differ.
 * A missing real kubectl fails the test.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ORACLE, SeededRandom, runOracle, runOurs, startTwinHarnesses, type Harness, type RunResult } from './kubectl-harness.ts';

// Deterministic randomness (ClusterIPs, generated names) so both servers allocate the same values.
const random = new SeededRandom();

let ours: Harness;
let oracle: Harness;

before(async () => {
  ({ ours, oracle } = await startTwinHarnesses(random));
  for (const h of [ours, oracle]) {
    mkdirSync(join(h.dir, 'manifests'), { recursive: true });
    writeFileSync(join(h.dir, 'manifests', 'app.yaml'), APP_YAML);
    writeFileSync(join(h.dir, 'manifests', 'app-v2.yaml'), APP_YAML.replace('replicas: 2', 'replicas: 3').replace('nginx:1.27', 'nginx:1.28'));
    writeFileSync(join(h.dir, 'manifests', 'bad.yaml'), BAD_YAML);
  }
});
after(async () => {
  random.restore();
  await ours?.close();
  await oracle?.close();
});

const APP_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels:
    app: app
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  type: NodePort
  selector:
    app: app
  ports:
  - port: 80
    targetPort: 80
`;
const BAD_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
spec:
  selector:
    matchLabels:
      app: bad
  template:
    metadata:
      labels:
        app: other
    spec:
      containers:
      - name: c
        image: nginx
`;

function mask(s: string): string {
  return s
    .replace(/\b\d+(s|m\d+s|m|h\d+m|h|d\d+h|d)\b/g, '<age>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, '<time>')
    .replace(/\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}/g, '<time>');
}

function same(a: RunResult, b: RunResult): boolean {
  return a.stdout === b.stdout && a.stderr === b.stderr && a.code === b.code;
}

/** [argv, mutates] — mutating commands run once per server; read-only ones both against the oracle's server. */
const CASES: [string, boolean?][] = [
  ['get pods'],
  ['get pods -o wide'],
  ['get svc,deploy,pod'],
  ['get all'],
  ['get deploy web'],
  ['get pod nope'],
  ['get pods -A'],
  ['get pods --show-labels'],
  ['get pods -l app=solo'],
  ['get pods -l app=none'],
  ['get ns'],
  ['get svc -o yaml'],
  ['get deploy web -o json'],
  ['get pods -o name'],
  ['get deploy,svc -o name'],
  ['get pods -o jsonpath={.items[*].metadata.name}'],
  ['get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image'],
  ['get pods --sort-by=.metadata.name'],
  ['get pods --no-headers'],
  ['get foo'],
  ['get'],
  ['get --foo'],
  ['get -o foo pods'],
  ['get pods -n kube-system'],
  ['foo'],
  ['getx pods'],
  ['get --help'],
  ['--help'],
  ['version --client'],
  ['api-resources'],
  ['config view'],
  ['explain pods'],
  ['explain pod.spec.containers'],
  ['explain svc.spec.ports'],
  ['explain deploy --recursive'],
  ['explain pods.spec.foo'],
  ['explain foo'],
  ['explain'],
  ['describe svc clusterip-service'],
  ['describe deploy web'],
  ['describe pod solo'],
  ['describe pod nope'],
  ['apply -f manifests/app.yaml', true],
  ['apply -f manifests/app.yaml', true],
  ['apply -f manifests/app-v2.yaml', true],
  ['get deploy app -o yaml'],
  ['apply -f manifests/bad.yaml', true],
  ['create -f manifests/app.yaml', true],
  ['create deployment made --image=nginx --replicas=2', true],
  ['create service clusterip svc1 --tcp=80:8080', true],
  ['create service nodeport svc2 --tcp=80:8080', true],
  ['create namespace dev', true],
  ['create configmap cfg --from-literal=a=b', true],
  ['expose deployment web --port=80 --target-port=8080', true],
  ['run nginx --image=nginx', true],
  ['scale deployment web --replicas=3', true],
  ['scale deployment web', true],
  ['set image deploy/web web=nginx:1.29', true],
  ['label deploy web tier=x', true],
  ['annotate deploy web note=y', true],
  ['rollout history deploy/web'],
  ['rollout restart deploy/web', true],
  ['delete pod solo', true],
  ['delete deploy nope', true],
  ['delete -f manifests/app.yaml', true],
  ['get svc,deploy,pod'],
];

test('the real kubectl is installed', () => {
  assert.ok(existsSync(ORACLE), `the oracle ${ORACLE} is missing`);
});

for (const [line, mutates] of CASES) {
  test(`kubectl ${line}`, async () => {
    const argv = line.split(' ');
    const s = random.state;
    const mine = await runOurs(mutates ? ours : oracle, argv);
    random.state = s;
    const real = await runOracle(oracle, argv);
    if (same(mine, real)) return;
    assert.deepEqual(
      { stdout: mask(mine.stdout), stderr: mask(mine.stderr), code: mine.code },
      { stdout: mask(real.stdout), stderr: mask(real.stderr), code: real.code },
    );
  });
}
