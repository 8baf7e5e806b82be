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

/** A digit's value, or NaN. */
function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ`, the form metav1.Time takes on the wire, read without Date.parse (a row of a 5,000-pod
 * Table parses one per pod); undefined for anything else, and for days past the 28th (left to Date.parse).
 */
function wireTimeMs(s: string): number | undefined {
  if (s.length !== 20 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[19] !== 'Z') return undefined;
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  const hour = digit(s, 11) * 10 + digit(s, 12);
  const minute = digit(s, 14) * 10 + digit(s, 15);
  const second = digit(s, 17) * 10 + digit(s, 18);
  // NaN fails every comparison: a non-digit anywhere lands here too. Date.UTC maps years below 100 to 19xx.
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

export function timestampMs(ts: Timestamp): number | undefined {
  if (ts === null || ts === undefined || ts === '') return undefined;
  if (typeof ts === 'number') return ts;
  const fast = wireTimeMs(ts);
  if (fast !== undefined) return fast;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The smallest unit humanDuration(ms) shows: its text stays the same up to the next multiple of it. */
function humanDurationUnit(ms: number): number {
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) return 1000;
  if (minutes < 60 * 8) return 60_000;
  if (minutes < 60 * 24 * 8) return 3_600_000;
  return 86_400_000;
}

/** While a row is printed: the earliest time at which one of its ages would print differently. */
export interface AgeWindow {
  until: number;
}

/**
 * `<unknown>` for a zero timestamp, else the HumanDuration since it. With `window`, lowers `window.until` to the
 * first `now` at which this text changes, so a printed row can be reused up to then.
 */
export function translateTimestampSince(ts: Timestamp, now: number, window?: AgeWindow): string {
  const ms = timestampMs(ts);
  if (ms === undefined) return '<unknown>';
  const d = now - ms;
  if (window) {
    // A timestamp in the future prints "0s" or "<invalid>": not worth a window, recomputed on the next millisecond.
    const unit = humanDurationUnit(d);
    const changes = d < 0 ? now + 1 : ms + (Math.floor(d / unit) + 1) * unit;
    if (changes < window.until) window.until = changes;
  }
  return humanDuration(d);
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
