import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { ConntrackTable, KERNEL_TIMEOUTS } from '../../../src-main/node/proxy/conntrack.ts';
import { conntrackList } from '../../../src-main/node/proxy/conntrack-list.ts';
import type { Packet } from '../../../src-main/node/proxy/walk.ts';

const syn: Packet = { src: '10.244.1.20', dst: '10.96.0.1', proto: 'tcp', sport: 43210, dport: 443 };

test('a DNATed, masqueraded TCP flow: reply tuple, states and the 24h kube-proxy timeout', () => {
  const clock = new ManualClock();
  const ct = new ConntrackTable(clock);
  const e = ct.open(syn, { dnat: { ip: '192.168.56.10', port: 6443 }, masquerade: true }, { ip: '192.168.56.11', port: 61000 });
  assert.equal(
    conntrackList(ct).stdout,
    'tcp      6 120 SYN_SENT src=10.244.1.20 dst=10.96.0.1 sport=43210 dport=443 [UNREPLIED] src=192.168.56.10 dst=192.168.56.11 sport=6443 dport=61000 mark=0 use=1\n',
  );
  ct.reply(e);
  clock.advance(1000);
  const out = conntrackList(ct);
  assert.equal(
    out.stdout,
    'tcp      6 86399 ESTABLISHED src=10.244.1.20 dst=10.96.0.1 sport=43210 dport=443 src=192.168.56.10 dst=192.168.56.11 sport=6443 dport=61000 [ASSURED] mark=0 use=1\n',
  );
  assert.equal(out.stderr, 'conntrack v1.4.8 (conntrack-tools): 1 flow entries have been shown.\n');
  assert.equal(ct.lookup('tcp', { src: '192.168.56.10', dst: '192.168.56.11', sport: 6443, dport: 61000 })?.direction, 'reply');
  ct.close(e);
  clock.advance(119_000);
  assert.equal(ct.count, 1);
  clock.advance(1_000);
  assert.equal(ct.count, 0);
});

test('kernel defaults keep established TCP for 432000s; UDP 30s, 120s once a stream', () => {
  const clock = new ManualClock();
  const ct = new ConntrackTable(clock, KERNEL_TIMEOUTS);
  const tcp = ct.open(syn, { masquerade: false });
  ct.reply(tcp);
  assert.equal(ct.remaining(tcp), 432000);
  const dns = ct.open({ src: '10.244.1.20', dst: '10.96.0.10', proto: 'udp', sport: 5353, dport: 53 }, { dnat: { ip: '10.244.0.3', port: 53 }, masquerade: false });
  assert.match(conntrackList(ct, { proto: 'udp' }).stdout, /^udp      17 30 src=10\.244\.1\.20 dst=10\.96\.0\.10 sport=5353 dport=53 \[UNREPLIED\] src=10\.244\.0\.3 dst=10\.244\.1\.20 sport=53 dport=5353 mark=0 use=1\n$/);
  ct.reply(dns);
  ct.touch(dns);
  assert.equal(ct.remaining(dns), 120);
  assert.match(conntrackList(ct, { proto: 'udp' }).stdout, /\[ASSURED\]/);
  clock.advance(120_000);
  assert.equal(conntrackList(ct, { proto: 'udp' }).stderr, 'conntrack v1.4.8 (conntrack-tools): 0 flow entries have been shown.\n');
  assert.equal(ct.deleteWhere((e) => e.original.dst === '10.96.0.1'), 1);
});

test('a new SYN on a TIME_WAIT tuple replaces the flow: one entry, newest in the listing, the old one gone for good', () => {
  const clock = new ManualClock();
  const ct = new ConntrackTable(clock);
  const other = { src: '10.244.1.21', dst: '10.96.0.1', proto: 'tcp' as const, sport: 40000, dport: 443 };
  const old = ct.open(syn, { dnat: { ip: '192.168.56.10', port: 6443 }, masquerade: true }, { ip: '192.168.56.11', port: 61000 });
  ct.reply(old);
  ct.close(old);
  const second = ct.open(other, { dnat: { ip: '192.168.56.10', port: 6443 }, masquerade: false });
  const fresh = ct.open(syn, { dnat: { ip: '192.168.56.10', port: 6443 }, masquerade: true }, { ip: '192.168.56.11', port: 62000 });
  assert.notEqual(fresh, old);
  assert.ok(fresh.id > second.id);
  assert.deepEqual(ct.list(), [second, fresh], 'the replacement is the newest entry');
  assert.equal(fresh.tcpState, 'SYN_SENT');
  assert.equal(old.tcpState, 'TIME_WAIT', 'the old entry object is left as it was');
  // The old reply tuple is free again, the new one taken.
  assert.equal(ct.replyTaken('tcp', { src: '192.168.56.10', sport: 6443, dst: '192.168.56.11', dport: 61000 }), false);
  assert.equal(ct.replyTaken('tcp', { src: '192.168.56.10', sport: 6443, dst: '192.168.56.11', dport: 62000 }), true);
  assert.equal(ct.lookup('tcp', { src: '192.168.56.10', dst: '192.168.56.11', sport: 6443, dport: 62000 })?.entry, fresh);
  // Whoever still holds the old entry cannot delete the flow that took its place.
  ct.delete(old);
  assert.equal(ct.count, 2);
  ct.delete(fresh);
  assert.deepEqual(ct.list(), [second]);
  assert.equal(ct.lookupOriginal('tcp', syn.src, syn.sport, syn.dst, syn.dport), undefined);
  // And the tuple opens again from scratch.
  const third = ct.open(syn, { masquerade: false });
  assert.deepEqual(ct.list(), [second, third]);
  assert.equal(conntrackList(ct).stdout.split('\n').length, 3);
});

test('a full table evicts the oldest unassured flow (early_drop), in creation order', () => {
  const clock = new ManualClock();
  const ct = new ConntrackTable(clock, KERNEL_TIMEOUTS, 3);
  const flows = [1, 2, 3].map((i) => ct.open({ ...syn, sport: 40000 + i }, { masquerade: false }));
  ct.reply(flows[0]!); // assured
  const next = ct.tryOpen({ ...syn, sport: 40010 }, { masquerade: false });
  assert.ok(next);
  assert.deepEqual(ct.list(), [flows[0], flows[2], next]);
  assert.equal(ct.earlyDropped, 1);
});
