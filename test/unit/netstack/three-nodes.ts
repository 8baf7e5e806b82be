/**
 * Three node netstacks (master, worker1, worker2) joined by real MessagePorts, with pods that answer with their
 * name and a recorded random stream, for tests that replay what the statistic rules and MASQUERADE drew.
 */
import { MessageChannel } from 'node:worker_threads';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { Netstack, type PodEndpoints } from '../../../src-main/node/netstack/netstack.ts';
import type { Delivery, DeliveryResult } from '../../../src-main/node/netstack/types.ts';
import { buildNatTable } from '../../../src-main/node/proxy/rules.ts';
import { mulberry32 } from '../../fixtures/random.ts';

export const NODES = [
  { name: 'master', ip: '192.168.56.10', podCIDR: '10.244.0.0/24' },
  { name: 'worker1', ip: '192.168.56.11', podCIDR: '10.244.1.0/24' },
  { name: 'worker2', ip: '192.168.56.12', podCIDR: '10.244.2.0/24' },
];

/** Fresh answer objects every time, as a program builds them; every third one answers later (a promise). */
function pods(names: Record<string, string>): PodEndpoints & { answered: number } {
  return {
    answered: 0,
    hasPodIP: (ip) => ip in names,
    answer(d: Delivery) {
      const name = names[d.dst.ip];
      if (name === undefined) return { ok: false, error: 'refused' };
      const body = `${name} ${d.src.ip}`;
      const r: DeliveryResult = { ok: true, response: { kind: 'http', response: { status: 200, reason: 'OK', headers: [['Content-Length', String(body.length)]], body } }, pod: { namespace: 'default', name } };
      return ++this.answered % 3 === 0 ? Promise.resolve(r) : r;
    },
  };
}

export interface ThreeNodes {
  nets: Netstack[];
  clock: ManualClock;
  /** Every random number drawn so far, by any node, in order. */
  draws: number[];
  /** Installs kube-proxy's tables for these objects on the nodes named (all by default). */
  program(services: Service[], slices: EndpointSlice[], nodes?: string[]): void;
  close(): void;
}

/** `podNames`: pod IP -> name, on whichever node owns the IP's CIDR. */
export function threeNodes(podNames: Record<string, string>, seed = 7): ThreeNodes {
  const clock = new ManualClock();
  const draws: number[] = [];
  const rng = mulberry32(seed);
  const random = () => {
    const r = rng();
    draws.push(r);
    return r;
  };
  const nets = NODES.map((n) => new Netstack(n.name, n.ip, n.podCIDR, clock, pods(podNames), random));
  for (let i = 0; i < nets.length; i++) {
    for (let j = i + 1; j < nets.length; j++) {
      const ch = new MessageChannel();
      nets[i]!.addPeer(NODES[j]!, ch.port1);
      nets[j]!.addPeer(NODES[i]!, ch.port2);
    }
  }
  // Mesh ports are unref'd (a node never stays up for its links alone): the test keeps the loop alive itself.
  const alive = setInterval(() => {}, 1000);
  return {
    nets,
    clock,
    draws,
    program(services, slices, names = NODES.map((n) => n.name)) {
      NODES.forEach((n, i) => {
        if (!names.includes(n.name)) return;
        const { bridge, flannel } = nets[i]!.addresses;
        nets[i]!.table = buildNatTable({ nodeName: n.name, nodeIP: n.ip, clusterCIDR: '10.244.0.0/16', services, endpointSlices: slices, localAddresses: [bridge, flannel] });
      });
    },
    close() {
      clearInterval(alive);
      nets.forEach((n) => NODES.forEach((p) => n.removePeer(p.name)));
    },
  };
}
