/**
 * client-go's event recorder (tools/record): core/v1 Events named `<object>.<hex nanoseconds>`, with the
 * EventCorrelator's aggregation of identical repeats into one Event whose count and lastTimestamp move.
 */
import type { Clock } from '../clock/clock.ts';
import { isoTime } from '../clock/clock.ts';
import { isStatusError } from '../api/errors.ts';
import { byKind } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import type { Registry } from '../registry/registry.ts';

export interface InvolvedObject {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventSource {
  component: string;
  host?: string;
}

/** reference.GetReference: what an Event's involvedObject holds for a stored object. */
export function refOf(o: KubeObject): InvolvedObject {
  const ref: InvolvedObject = { kind: o.kind, name: o.metadata.name!, uid: o.metadata.uid, apiVersion: o.apiVersion, resourceVersion: o.metadata.resourceVersion };
  if (o.metadata.namespace) ref.namespace = o.metadata.namespace;
  return ref;
}

const EVENTS = byKind('Event');
const LRU_SIZE = 4096;

interface Seen {
  namespace: string;
  name: string;
}

const caches = new WeakMap<Registry, Map<string, Seen>>();
let lastNanos = 0n;

/** Go's UnixNano for a millisecond clock, kept strictly increasing so two events in one millisecond get two names. */
function nanos(ms: number): bigint {
  let n = BigInt(Math.floor(ms)) * 1_000_000n;
  if (n <= lastNanos) n = lastNanos + 1n;
  lastNanos = n;
  return n;
}

export function recordEvent(
  reg: Registry,
  clock: Clock,
  involved: InvolvedObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: EventSource,
): void {
  let cache = caches.get(reg);
  if (!cache) caches.set(reg, (cache = new Map()));
  const now = clock.now();
  const namespace = involved.namespace || 'default';
  // eventcorrelator getEventKey: everything that identifies "the same event", message included.
  const key = [source.component, source.host ?? '', involved.kind, namespace, involved.name, involved.fieldPath ?? '', involved.uid ?? '', involved.apiVersion ?? '', type, reason, message].join('\u0000');
  try {
    const seen = cache.get(key);
    if (seen) {
      const existing = reg.tryGet(EVENTS, seen.namespace, seen.name);
      if (existing) {
        const next = structuredClone(existing) as KubeObject & { count?: number; lastTimestamp?: string };
        next.count = (next.count ?? 1) + 1;
        next.lastTimestamp = isoTime(now);
        reg.update(EVENTS, next);
        cache.delete(key);
        cache.set(key, seen);
        return;
      }
    }
    const ref: InvolvedObject = { ...involved };
    if (!ref.namespace && ref.kind !== 'Node' && ref.kind !== 'Namespace') delete ref.namespace;
    const t = isoTime(now);
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${involved.name}.${nanos(now).toString(16)}`, namespace },
      involvedObject: ref,
      reason,
      message,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    } as unknown as KubeObject;
    const saved = reg.create(EVENTS, namespace, event);
    cache.set(key, { namespace, name: saved.metadata.name! });
    if (cache.size > LRU_SIZE) cache.delete(cache.keys().next().value!);
  } catch (e) {
    // Events are best effort (a terminating namespace refuses them); never fail the caller.
    if (!isStatusError(e)) throw e;
  }
}

/** A recorder bound to one component, as controllers hold it. */
export type Recorder = (obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) => void;

export function recorderFor(reg: Registry, clock: Clock, source: EventSource): Recorder {
  return (obj, type, reason, message) => recordEvent(reg, clock, refOf(obj), type, reason, message, source);
}
