/**
 * Posts the messages of one burst as one array: a bound Deployment of 5,000 pods means thousands of watch events and
 * status reports between the control plane and the nodes, and a structured clone plus a thread wake-up per message
 * cost more than the messages themselves. Order is kept; transferables (mesh ports) travel with their batch, so a
 * 50-node mesh is one post per node rather than one per port.
 */
export class MessageBatcher<M> {
  private queue: M[] = [];
  private transfer: Transferable[] = [];
  private scheduled = false;

  constructor(private readonly postBatch: (msgs: M[], transfer?: Transferable[]) => void) {}

  post(msg: M, transfer?: Transferable[]): void {
    if (transfer?.length) this.transfer.push(...transfer);
    this.queue.push(msg);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    const transfer = this.transfer;
    this.queue = [];
    this.transfer = [];
    this.postBatch(batch, transfer.length ? transfer : undefined);
  }

  /** Drops what is queued (the receiving thread is gone). */
  clear(): void {
    this.queue = [];
    this.transfer = [];
  }
}
