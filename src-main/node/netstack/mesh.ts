/**
 * One node's end of the mesh link to another node worker: a MessagePort carrying connections (deliver) and their
 * answers (delivered). Everything queued for the peer in one event-loop turn leaves as one postMessage, as one flat
 * array of records rather than an object per message (fewer objects and property names to serialize and rebuild).
 *
 * Answers repeat: a web server answers the same page with the same headers thousands of times. An answer equal to
 * one sent before on this link goes as the number of the slot both ends keep it in; the receiving end hands out its
 * stored copy, frozen so that no reader can change what later connections get.
 */
import type { MessagePort } from 'node:worker_threads';
import type { PeerInfo } from '../protocol.ts';
import type { Delivery, DeliveryResult } from './types.ts';
import { responseBytes } from './sizes.ts';

/** Record kinds on the wire. */
const DELIVER = 0;
const DELIVERED = 1;
/** An answer to keep in a slot (and use now). */
const DELIVERED_KEEP = 2;
/** An answer already kept in a slot. */
const DELIVERED_KEPT = 3;

const PROTOS = ['tcp', 'udp', 'icmp'] as const;
const PROTO_CODE = { tcp: 0, udp: 1, icmp: 2 } as const;

/** Answers kept per link and direction, and the largest kept (both ends hold a copy of each). */
const SLOTS = 64;
const KEEP_MAX_BYTES = 16 * 1024;

export interface MeshHandlers {
  deliver(link: MeshLink, id: number, d: Delivery): void;
  delivered(link: MeshLink, id: number, r: DeliveryResult): void;
}

export class MeshLink {
  /** The hops a connection forwarded over this link crossed, shared by their traces. */
  readonly crossed: readonly string[];
  private out: unknown[] = [];
  /** Answers this end sent, by slot, and the slot of the last answer from each pod. */
  private readonly sentSlots: DeliveryResult[] = [];
  private readonly slotOfPod = new Map<string, number>();
  private nextSlot = 0;
  /** Answers the peer sent, by slot. */
  private readonly keptSlots: DeliveryResult[] = [];

  constructor(
    readonly info: PeerInfo,
    readonly port: MessagePort,
    localName: string,
    /** Asks for flush() at the end of this event-loop turn (once per turn for every link with queued records). */
    private readonly schedule: (link: MeshLink) => void,
    private readonly handlers: MeshHandlers,
  ) {
    this.crossed = Object.freeze([localName, info.name]);
    port.on('message', (batch: unknown[]) => this.receive(batch));
  }

  deliver(id: number, d: Delivery): void {
    const out = this.start();
    out.push(DELIVER, id, d.src.ip, d.src.port, d.dst.ip, d.dst.port, PROTO_CODE[d.proto], d.payload);
  }

  delivered(id: number, r: DeliveryResult): void {
    // An answer with a hop report is one of a kind: not worth a slot.
    const pod = r.ok && !r.via && responseBytes(r.response) <= KEEP_MAX_BYTES ? r.pod?.name : undefined;
    const out = this.start();
    if (pod === undefined) {
      out.push(DELIVERED, id, r);
      return;
    }
    const slot = this.slotOfPod.get(pod);
    if (slot !== undefined && sameAnswer(this.sentSlots[slot]!, r)) {
      out.push(DELIVERED_KEPT, id, slot);
      return;
    }
    const s = this.nextSlot;
    this.nextSlot = (s + 1) % SLOTS;
    const old = this.sentSlots[s];
    if (old?.ok && old.pod && this.slotOfPod.get(old.pod.name) === s) this.slotOfPod.delete(old.pod.name);
    // A copy: what the peer keeps must not change if the program later changes the object it answered with.
    this.sentSlots[s] = structuredClone(r);
    this.slotOfPod.set(pod, s);
    out.push(DELIVERED_KEEP, id, s, r);
  }

  /** The outbox, after asking for a flush if it was empty. */
  private start(): unknown[] {
    if (this.out.length === 0) this.schedule(this);
    return this.out;
  }

  flush(): void {
    if (this.out.length === 0) return;
    const batch = this.out;
    this.out = [];
    this.port.postMessage(batch);
  }

  close(): void {
    this.out = [];
    this.port.close();
  }

  private receive(b: unknown[]): void {
    const h = this.handlers;
    let i = 0;
    while (i < b.length) {
      const kind = b[i] as number;
      const id = b[i + 1] as number;
      switch (kind) {
        case DELIVER: {
          const d: Delivery = {
            src: { ip: b[i + 2] as string, port: b[i + 3] as number },
            dst: { ip: b[i + 4] as string, port: b[i + 5] as number },
            proto: PROTOS[b[i + 6] as number]!,
            payload: b[i + 7] as Delivery['payload'],
            entryNode: this.info.name,
          };
          i += 8;
          h.deliver(this, id, d);
          break;
        }
        case DELIVERED:
          i += 3;
          h.delivered(this, id, b[i - 1] as DeliveryResult);
          break;
        case DELIVERED_KEEP: {
          const r = deepFreeze(b[i + 3] as DeliveryResult);
          this.keptSlots[b[i + 2] as number] = r;
          i += 4;
          h.delivered(this, id, r);
          break;
        }
        case DELIVERED_KEPT:
          i += 3;
          h.delivered(this, id, this.keptSlots[b[i - 1] as number]!);
          break;
        default:
          throw new Error(`mesh: unknown record ${String(kind)}`);
      }
    }
  }
}

/** sameData() for answers, with the common one (an HTTP response from a pod) compared field by field. */
export function sameAnswer(a: DeliveryResult, b: DeliveryResult): boolean {
  if (!a.ok || !b.ok || a.response.kind !== 'http' || b.response.kind !== 'http' || !a.pod || !b.pod) return sameData(a, b);
  const x = a.response.response;
  const y = b.response.response;
  if (x.status !== y.status || x.body !== y.body || x.reason !== y.reason || a.pod.name !== b.pod.name || a.pod.namespace !== b.pod.namespace) return false;
  const hx = x.headers;
  const hy = y.headers;
  if (!Array.isArray(hx) || !Array.isArray(hy) || hx.length !== hy.length) return sameData(a, b);
  for (let i = 0; i < hx.length; i++) {
    const p = hx[i]!;
    const q = hy[i]!;
    if (p.length !== 2 || q.length !== 2 || p[0] !== q[0] || p[1] !== q[1]) return sameData(a, b);
  }
  // Nothing beyond the fields compared above, on either side.
  return keys(a) === 3 && keys(b) === 3 && keys(a.response) === 2 && keys(b.response) === 2 && keys(x) === 4 && keys(y) === 4 && keys(a.pod) === 2 && keys(b.pod) === 2;
}

function keys(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** Equality of plain data (what structured clone carries: objects, arrays, primitives). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // for-in rather than Object.keys: no key arrays per compare (plain data has no inherited enumerable keys).
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let keys = 0;
  for (const k in ra) {
    if (!Object.prototype.hasOwnProperty.call(rb, k) || !sameData(ra[k], rb[k])) return false;
    keys++;
  }
  for (const _ in rb) keys--;
  return keys === 0;
}

function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  for (const x of Object.values(v)) deepFreeze(x);
  return Object.freeze(v);
}
