/** Merges the traffic frames node workers send into one stream for the UI (~10 Hz, not per packet). */
export type FrameListener = (node: string, frame: unknown) => void;

export class TrafficHub {
  private readonly listeners = new Set<FrameListener>();
  readonly latest = new Map<string, unknown>();

  ingest(node: string, frame: unknown): void {
    this.latest.set(node, frame);
    for (const l of this.listeners) l(node, frame);
  }

  subscribe(l: FrameListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
