/**
 * client-go's event recorder (tools/record): core/v1 Events named `<object>.<hex nanoseconds>`, passed through the
 * EventCorrelator (events_cache.go): similar-event aggregation, counting of repeats, the per-object spam filter.
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

// client-go tools/record/events_cache.go defaults.
const LRU_SIZE = 4096;
const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_REFILL_PER_MS = 1 / 300_000;

/** groupcache's lru.Cache: the least recently used entry goes past the size. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  /**
   * Walks the keys oldest first, once. A fresh keys() per eviction would step over every entry deleted (moved to the
   * back) since the table was last compacted: thousands per event once 5,000 pods each record theirs.
   */
  private oldest: Iterator<string> | undefined;
  /** Reads do not reorder (every read here is followed by a set of the same key, which does). */
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size <= LRU_SIZE) return;
    // Every key the walk has passed was evicted, so its next key is the least recently used one.
    let next = this.oldest?.next();
    if (!next || next.done) next = (this.oldest = this.map.keys()).next();
    this.map.delete(next.value as string);
  }
}

interface Observation {
  count: number;
  firstTimestamp: string;
  namespace: string;
  name: string;
}

/** One EventCorrelator per recording component, as each controller and kubelet has its own broadcaster. */
interface Correlator {
  aggregates: Lru<{ messages: Set<string>; last: number }>;
  observations: Lru<Observation>;
  spam: Lru<{ tokens: number; at: number }>;
}

const correlators = new WeakMap<Registry, Correlator>();
let lastNanos = 0n;

/** Go's UnixNano for a millisecond clock, kept strictly increasing so two events in one millisecond get two names. */
function nanos(ms: number): bigint {
  let n = BigInt(Math.floor(ms)) * 1_000_000n;
  if (n <= lastNanos) n = lastNanos + 1n;
  lastNanos = n;
  return n;
}

function correlatorOf(reg: Registry): Correlator {
  let c = correlators.get(reg);
  if (!c) correlators.set(reg, (c = { aggregates: new Lru(), observations: new Lru(), spam: new Lru() }));
  return c;
}

/** EventAggregate: the 10th distinct message of a similar event (same source, object, type, reason) in 10 minutes and
 * every one after it become one "(combined from similar events)" Event. Returns the message and the correlation key. */
function aggregate(c: Correlator, now: number, similarKey: string, eventKey: string, message: string): { message: string; key: string } {
  let rec = c.aggregates.get(similarKey);
  if (!rec || now - rec.last > AGGREGATE_INTERVAL_MS) rec = { messages: new Set(), last: now };
  rec.messages.add(message);
  rec.last = now;
  c.aggregates.set(similarKey, rec);
  if (rec.messages.size < AGGREGATE_MAX_EVENTS) return { message, key: eventKey };
  rec.messages.delete(rec.messages.values().next().value!);
  return { message: `(combined from similar events): ${message}`, key: similarKey };
}

/** EventSourceObjectSpamFilter: a token bucket per source and object, 25 events of burst, one more every 5 minutes. */
function spamAllows(c: Correlator, now: number, spamKey: string): boolean {
  const bucket = c.spam.get(spamKey) ?? { tokens: SPAM_BURST, at: now };
  bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (now - bucket.at) * SPAM_REFILL_PER_MS);
  bucket.at = now;
  const allowed = bucket.tokens >= 1;
  if (allowed) bucket.tokens -= 1;
  c.spam.set(spamKey, bucket);
  return allowed;
}

/**
 * Records an Event as client-go's recorder does: aggregation of similar events, counting of identical ones (count
 * and lastTimestamp move on the existing Event), then the spam filter, which may drop the write altogether.
 */
export function recordEvent(
  reg: Registry,
  clock: Clock,
  involved: InvolvedObject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: EventSource,
): void {
  const c = correlatorOf(reg);
  const now = clock.now();
  const namespace = involved.namespace || 'default';
  const host = source.host ?? '';
  const object = [source.component, host, involved.kind, namespace, involved.name, involved.uid ?? '', involved.apiVersion ?? ''];
  const spamKey = object.join('\u0000');
  const similarKey = [...object, type, reason, source.component, host].join('\u0000');
  const eventKey = [...object, involved.fieldPath ?? '', type, reason, message].join('\u0000');
  const aggregated = aggregate(c, now, similarKey, eventKey, message);
  const previous = c.observations.get(aggregated.key);
  const t = isoTime(now);
  const observation: Observation = previous
    ? { ...previous, count: previous.count + 1 }
    : { count: 1, firstTimestamp: t, namespace, name: `${involved.name}.${nanos(now).toString(16)}` };
  c.observations.set(aggregated.key, observation);
  if (!spamAllows(c, now, spamKey)) return;
  try {
    const existing = previous ? reg.tryGet(EVENTS, observation.namespace, observation.name) : undefined;
    if (existing) {
      reg.update(EVENTS, { ...existing, count: observation.count, lastTimestamp: t, message: aggregated.message } as KubeObject);
      return;
    }
    const ref: InvolvedObject = { ...involved };
    if (!ref.namespace && ref.kind !== 'Node' && ref.kind !== 'Namespace') delete ref.namespace;
    reg.create(EVENTS, namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: observation.name, namespace },
      involvedObject: ref,
      reason,
      message: aggregated.message,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: observation.firstTimestamp,
      lastTimestamp: t,
      count: observation.count,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: host,
    } as unknown as KubeObject);
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
