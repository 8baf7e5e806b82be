/**
 * k8s.io/apimachinery/pkg/util/duration: HumanDuration, and the printers' translateTimestampSince.
 * Go truncates every division here (int(d.Seconds()), d/time.Minute), so does this.
 */

export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // Up to 2s (excluded) into the future counts as "now": clocks drift.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** A metav1.Time / MicroTime as it appears in JSON (RFC 3339 string), or epoch ms. */
export type Timestamp = string | number | null | undefined;

export function timestampMs(ts: Timestamp): number | undefined {
  if (ts === null || ts === undefined || ts === '') return undefined;
  if (typeof ts === 'number') return ts;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `<unknown>` for a zero timestamp, else the HumanDuration since it. */
export function translateTimestampSince(ts: Timestamp, now: number): string {
  const ms = timestampMs(ts);
  if (ms === undefined) return '<unknown>';
  return humanDuration(now - ms);
}

/** describe's translateTimestampUntil: `<unknown>` for zero, else HumanDuration until it. */
export function translateTimestampUntil(ts: Timestamp, now: number): string {
  const ms = timestampMs(ts);
  if (ms === undefined) return '<unknown>';
  return humanDuration(ms - now);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z layout in UTC: `Wed, 25 Nov 2026 18:17:45 +0000`. Zero time prints Go's zero value. */
export function rfc1123z(ts: Timestamp): string {
  const ms = timestampMs(ts);
  if (ms === undefined) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
