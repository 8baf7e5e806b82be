/** Everything a node runs besides its heartbeat: kubelet, kube-proxy and the network stack, wired together. */
import type { MessagePort } from 'node:worker_threads';
import type { Clock } from '../clock/clock.ts';
import type { KubeObject } from '../api/types.ts';
import type { NodeIdentity, NodeToHost, PeerInfo, WatchedKind } from './protocol.ts';

export class NodeRuntime {
  private readonly peers = new Map<string, { info: PeerInfo; port: MessagePort }>();
  readonly pods = new Map<string, KubeObject>();

  constructor(
    readonly node: NodeIdentity,
    readonly clock: Clock,
    readonly send: (msg: NodeToHost) => void,
  ) {}

  watchEvent(kind: WatchedKind, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    const key = `${object.metadata.namespace}/${object.metadata.name}`;
    if (kind === 'Pod') {
      if (type === 'DELETED') this.pods.delete(key);
      else this.pods.set(key, object);
    }
  }

  addPeer(info: PeerInfo, port: MessagePort): void {
    this.peers.set(info.name, { info, port });
  }

  removePeer(name: string): void {
    this.peers.get(name)?.port.close();
    this.peers.delete(name);
  }

  async call(method: string, args: unknown[]): Promise<unknown> {
    switch (method) {
      case 'ping':
        return { node: this.node.name, threadId: (await import('node:worker_threads')).threadId, args };
      case 'peers':
        return [...this.peers.keys()].sort();
      default:
        throw new Error(`unknown node call ${method}`);
    }
  }

  stop(): void {
    for (const p of this.peers.values()) p.port.close();
  }
}
