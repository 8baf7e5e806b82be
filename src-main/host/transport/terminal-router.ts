/**
 * Routes a HostService's terminal streams to the connections that own each terminal (the one that opened it, or
 * any that attached to it), each through its own TerminalFlow. Data for a terminal nobody owns yet (its first prompt,
 * racing the `terminal.open` answer; or a reconnect gap) is kept briefly and handed to the next owner. A terminal
 * whose last owner went away is closed after a grace period unless someone re-attaches.
 */
import type { Events, HostService } from '../../contract/contract.ts';
import { type FlowSink, TerminalFlow } from './terminal-flow.ts';

export interface TerminalRouterOptions {
  /** How long a terminal without owners stays open for a reconnecting client. */
  orphanGraceMs?: number;
  /** How much output for an unowned terminal is kept for its next owner. */
  unownedBufferUnits?: number;
  /** How long output of a terminal that no connection of this router ever owned is kept. */
  unknownKeepMs?: number;
}

export interface TerminalOwner {
  readonly sink: FlowSink;
}

interface Unowned {
  chunks: string[];
  units: number;
  exit: number | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export class TerminalRouter {
  private readonly flows = new Map<string, Map<TerminalOwner, TerminalFlow>>();
  private readonly unowned = new Map<string, Unowned>();
  /** Terminals some connection of this router owned at some point: only these are ever closed as orphans. */
  private readonly known = new Set<string>();
  private readonly offs: Array<() => void>;
  private readonly graceMs: number;
  private readonly bufferUnits: number;
  private readonly unknownKeepMs: number;

  constructor(private readonly service: HostService, options: TerminalRouterOptions = {}) {
    this.graceMs = options.orphanGraceMs ?? 30_000;
    this.bufferUnits = options.unownedBufferUnits ?? 256_000;
    this.unknownKeepMs = options.unknownKeepMs ?? 10_000;
    this.offs = [
      service.on('terminal.data', (payload) => this.onData(payload)),
      service.on('terminal.exit', (payload) => this.onExit(payload)),
    ];
  }

  claim(id: string, owner: TerminalOwner): void {
    let owners = this.flows.get(id);
    if (!owners) {
      owners = new Map();
      this.flows.set(id, owners);
    }
    if (owners.has(owner)) return;
    const flow = new TerminalFlow(id, owner.sink);
    owners.set(owner, flow);
    this.known.add(id);
    const parked = this.unowned.get(id);
    if (parked) {
      this.unowned.delete(id);
      if (parked.timer) clearTimeout(parked.timer);
      for (const chunk of parked.chunks) flow.push(chunk);
      if (parked.exit !== null) this.onExit({ id, code: parked.exit });
    }
  }

  flowOf(id: string, owner: TerminalOwner): TerminalFlow | undefined {
    return this.flows.get(id)?.get(owner);
  }

  ownsAny(owner: TerminalOwner): string[] {
    return [...this.flows].filter(([, owners]) => owners.has(owner)).map(([id]) => id);
  }

  /** The terminal was closed on purpose: forget it everywhere. */
  forget(id: string): void {
    this.flows.delete(id);
    this.known.delete(id);
    const parked = this.unowned.get(id);
    if (parked?.timer) clearTimeout(parked.timer);
    this.unowned.delete(id);
  }

  /** A connection went away: its terminals become orphans if nobody else owns them. */
  release(owner: TerminalOwner): void {
    for (const [id, owners] of this.flows) {
      if (!owners.delete(owner) || owners.size > 0) continue;
      this.flows.delete(id);
      const parked = this.park(id);
      parked.timer = setTimeout(() => {
        this.unowned.delete(id);
        this.known.delete(id);
        if (parked.exit !== null) return;
        this.service.handle('terminal.close', { id }).catch(() => undefined);
      }, this.graceMs);
    }
  }

  dispose(): void {
    for (const off of this.offs) off();
    for (const parked of this.unowned.values()) if (parked.timer) clearTimeout(parked.timer);
    this.unowned.clear();
    this.flows.clear();
  }

  private park(id: string): Unowned {
    let parked = this.unowned.get(id);
    if (!parked) {
      parked = { chunks: [], units: 0, exit: null, timer: null };
      this.unowned.set(id, parked);
      if (!this.known.has(id)) {
        const entry = parked;
        entry.timer = setTimeout(() => {
          if (this.unowned.get(id) === entry) this.unowned.delete(id);
        }, this.unknownKeepMs);
      }
    }
    return parked;
  }

  private onData({ id, data }: Events['terminal.data']): void {
    const owners = this.flows.get(id);
    if (owners && owners.size > 0) {
      for (const flow of owners.values()) flow.push(data);
      return;
    }
    const parked = this.park(id);
    parked.chunks.push(data);
    parked.units += data.length;
    while (parked.units > this.bufferUnits && parked.chunks.length > 1) parked.units -= parked.chunks.shift()!.length;
  }

  private onExit({ id, code }: Events['terminal.exit']): void {
    const owners = this.flows.get(id);
    if (owners && owners.size > 0) {
      for (const flow of owners.values()) flow.exit(code);
      this.flows.delete(id);
      this.known.delete(id);
      return;
    }
    this.park(id).exit = code;
  }
}
