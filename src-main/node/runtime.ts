/** Everything a node runs besides its heartbeat: kubelet, kube-proxy and the network stack, wired together. */
import type { MessagePort } from 'node:worker_threads';
import type { Clock } from '../clock/clock.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { Kubelet, type PodStatusUpdate, type KubeletEvent } from './kubelet/index.ts';
import { ImageCatalogue } from './images/index.ts';
import type { NodeIdentity, NodeToHost, PeerInfo, WatchedKind } from './protocol.ts';
import { Netstack } from './netstack/netstack.ts';
import { KubeProxy } from './kube-proxy.ts';
import { PodAnswerer } from './pod-answerer.ts';
import { podFetch } from './pod-fetch.ts';
import { podLookup } from './pod-resolver.ts';

const FRAME_MS = 100;

export class NodeRuntime {
  readonly kubelet: Kubelet;
  readonly net: Netstack;
  readonly proxy: KubeProxy;
  private frameTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    readonly node: NodeIdentity,
    readonly clock: Clock,
    readonly send: (msg: NodeToHost) => void,
  ) {
    const answerer = new PodAnswerer(() => this.kubelet, () => this.proxy);
    this.net = new Netstack(node.name, node.ip, node.podCIDR, clock, answerer);
    this.net.controlPlane = node.controlPlane === true;
    this.kubelet = new Kubelet({
      nodeName: node.name,
      nodeIP: node.ip,
      podCIDR: node.podCIDR,
      clock,
      images: new ImageCatalogue(),
      report: (u) => this.reportStatus(u),
      event: (e) => this.reportEvent(e),
      servicesFor: (pod) => {
        const from = { kind: 'pod' as const, name: `${pod.namespace}/${pod.name}`, ip: pod.podIP };
        return { fetch: podFetch(this.net, from, () => pod.files), lookup: (name: string) => podLookup(this.net, from, pod.files, name) };
      },
      serviceLister: () => this.proxy.serviceList(),
    });
    this.proxy = new KubeProxy(
      { name: node.name, ip: node.ip, clusterCIDR: node.clusterCIDR, localAddresses: [this.net.addresses.bridge, this.net.addresses.flannel] },
      () => this.kubelet.pods().flatMap((p) => (p.podIP ? [p.podIP] : [])),
      (t) => (this.net.table = t),
      () => this.net.table,
    );
    this.net.table = this.proxy.sync();
    // UI frames are presentation, paced in real time whatever the cluster clock does; at most one per FRAME_MS, and
    // none (no timer at all) while nothing moves.
    this.net.counters.onDirty = () => this.scheduleFrame();
  }

  private scheduleFrame(): void {
    if (this.frameTimer || this.stopped) return;
    this.frameTimer = setTimeout(() => {
      this.frameTimer = undefined;
      this.publishFrame();
    }, FRAME_MS);
    this.frameTimer.unref();
  }

  private reportStatus(u: PodStatusUpdate): void {
    if (u.deleteNow) this.send({ t: 'podTerminated', namespace: u.namespace, name: u.name, uid: u.uid });
    else this.send({ t: 'podStatus', namespace: u.namespace, name: u.name, uid: u.uid, json: u.statusJson ?? JSON.stringify(u.status) });
  }

  private reportEvent(e: KubeletEvent): void {
    this.send({ t: 'event', event: { involved: { ...e.ref }, type: e.type, reason: e.reason, message: e.message } });
  }

  watchEvent(kind: WatchedKind, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    if (kind === 'Pod') {
      if (type === 'DELETED') this.kubelet.podDeleted(object as unknown as Pod);
      else this.kubelet.syncPod(object as unknown as Pod);
    } else if (kind === 'Service') this.proxy.onService(type, object);
    else if (kind === 'EndpointSlice') this.proxy.onEndpointSlice(type, object);
  }

  addPeer(info: PeerInfo, port: MessagePort): void {
    this.net.addPeer(info, port);
  }
  removePeer(name: string): void {
    this.net.removePeer(name);
  }

  private publishFrame(): void {
    const frame = this.net.counters.takeFrame(this.clock.now());
    if (frame) this.send({ t: 'traffic', frame });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.frameTimer);
    this.frameTimer = undefined;
  }
}
