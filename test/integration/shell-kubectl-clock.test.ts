/**
 * kubectl in the cluster shell measures ages on the cluster's clock: at 60x (or a test's manual clock) the events of
 * `kubectl describe` are as old as the cluster says, not "<invalid>" against this machine's time.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runAt, startShellLab, type ShellLab } from './shell-fixture.ts';

let s: ShellLab;
before(async () => {
  s = await startShellLab();
});
after(() => s.close());

test('describe: event ages and rollout restart times follow the cluster clock', async () => {
  // The fixture's clock starts in 2025, far from this machine's: on Date.now() every age would be a year or more.
  await s.lab.cluster.advance(3 * 3600_000);
  const d = await runAt(s, s.master, 'kubectl describe deployment hostname-server');
  assert.equal(d.status, 0, d.stderr);
  assert.match(d.stdout, /^ {2}Normal {2}ScalingReplicaSet {2}3h\d*m? +deployment-controller {2}Scaled up replica set hostname-server-\w+ from 0 to 2$/m);
  assert.doesNotMatch(d.stdout, /<invalid>|\d{3}d/);
  const r = await runAt(s, s.master, "kubectl rollout restart deployment hostname-server && kubectl get deployment hostname-server -o jsonpath='{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}'");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n').at(-1), new Date(s.lab.cluster.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'));
});
