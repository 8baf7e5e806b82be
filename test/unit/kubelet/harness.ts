/** Shared set-up for kubelet tests: a ManualClock, a seeded random, recorded reports and events. */
import type { Pod } from 'kubernetes-types/core/v1';
import { ManualClock } from '../../../src-main/clock/clock.ts';
import { ImageCatalogue } from '../../../src-main/node/images/catalogue.ts';
import { Kubelet } from '../../../src-main/node/kubelet/kubelet.ts';
import type { KubeletEvent, PodStatusUpdate } from '../../../src-main/node/kubelet/types.ts';

export function seeded(seed = 42): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

export function harness() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const reports: PodStatusUpdate[] = [];
  const events: Array<KubeletEvent & { at: number }> = [];
  const kubelet = new Kubelet({
    nodeName: 'worker1', nodeIP: '172.18.0.3', podCIDR: '10.244.1.0/24', clock, images: new ImageCatalogue(),
    report: u => reports.push(u), event: e => events.push({ ...e, at: clock.now() }), random: seeded(),
  });
  /** Advances cluster time in small steps, letting promise continuations run between steps. */
  async function advance(ms: number, step = 50): Promise<void> {
    for (let done = 0; done < ms; done += step) {
      clock.advance(Math.min(step, ms - done));
      for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
    }
  }
  const last = (name: string) => [...reports].reverse().find(r => r.name === name);
  const messages = (reason?: string) => events.filter(e => !reason || e.reason === reason).map(e => e.message);
  return { clock, kubelet, reports, events, advance, last, messages };
}

let uidCounter = 0;
export function pod(name: string, containers: NonNullable<Pod['spec']>['containers'], spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `00000000-0000-4000-8000-${String(++uidCounter).padStart(12, '0')}` },
    spec: { nodeName: 'worker1', containers, ...spec },
  };
}
