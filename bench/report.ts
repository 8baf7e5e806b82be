/**
 * Collects benchmark figures over one or more runs and prints them as one table: the median of the runs and their
 * range, the target, and whether the median met it. A figure's value is text ("0.45 ms / 0.59 ms", "130,827/s");
 * runs are aggregated number by number, so a composite figure keeps its shape.
 */
export interface Figure {
  issue: string;
  name: string;
  value: string;
  target?: string;
  ok?: boolean;
}

interface Aggregate {
  issue: string;
  name: string;
  target?: string;
  runs: Figure[];
}

const NUMBER = /-?\d[\d,]*(?:\.\d+)?/g;

/** "≤ 300 ms", "≥ 50,000/s", "≤ 1 GB": the comparison and the bound in the figure's first unit. */
function parseTarget(target: string): { le: boolean; bound: number; unit: string } | undefined {
  const m = /^([≤≥])\s*(-?[\d,]*\.?\d+)\s*(.*)$/.exec(target.trim());
  if (!m) return undefined;
  return { le: m[1] === '≤', bound: Number(m[2]!.replace(/,/g, '')), unit: m[3]!.trim() };
}

const SCALE: Record<string, number> = { ms: 1, s: 1000, MB: 1, GB: 1024, '%': 1 };

/** Whether a value such as "4,060 ms" meets "≤ 5 s" (units scaled where they differ; otherwise the number as is). */
export function meets(value: string, target: string): boolean | undefined {
  const t = parseTarget(target);
  const m = /(-?\d[\d,]*(?:\.\d+)?)\s*(ms|s|MB|GB|%)?/.exec(value);
  if (!t || !m) return undefined;
  let v = Number(m[1]!.replace(/,/g, ''));
  const unit = m[2];
  const tUnit = /^(ms|s|MB|GB|%)\b/.exec(t.unit)?.[1];
  if (unit && tUnit && SCALE[unit] !== undefined && SCALE[tUnit] !== undefined) v = (v * SCALE[unit]!) / SCALE[tUnit]!;
  return t.le ? v <= t.bound : v >= t.bound;
}

function formatLike(sample: string, n: number): string {
  const decimals = sample.includes('.') ? (sample.split('.')[1]!.length) : 0;
  const grouped = sample.includes(',');
  return grouped ? n.toLocaleString('en', { maximumFractionDigits: decimals, minimumFractionDigits: decimals }) : n.toFixed(decimals);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The runs' values as one: each number the median of its position, with "(range a–b)" after the whole. */
export function combine(values: string[]): string {
  if (values.length === 1) return values[0]!;
  const shapes = values.map((v) => v.replace(NUMBER, '#'));
  if (shapes.some((s) => s !== shapes[0])) return values.join(' | ');
  const numbers = values.map((v) => (v.match(NUMBER) ?? []).map((x) => Number(x.replace(/,/g, ''))));
  const samples = values[0]!.match(NUMBER) ?? [];
  let i = 0;
  const med = values[0]!.replace(NUMBER, () => {
    const k = i++;
    return formatLike(samples[k]!, median(numbers.map((ns) => ns[k]!)));
  });
  const first = numbers.map((ns) => ns[0]!).filter((n) => Number.isFinite(n));
  if (first.length === 0) return med;
  const lo = Math.min(...first);
  const hi = Math.max(...first);
  return lo === hi ? med : `${med} (range ${formatLike(samples[0]!, lo)}–${formatLike(samples[0]!, hi)})`;
}

export class Report {
  readonly figures: Figure[] = [];
  private run = 0;
  private runs = 1;

  /** Figures added from now on belong to run `index` of `of`. */
  startRun(index: number, of: number): void {
    this.run = index;
    this.runs = of;
  }

  add(issue: string, name: string, value: string, target?: string, ok?: boolean): void {
    this.figures.push({ issue, name, value, target, ok });
    const mark = ok === undefined ? '' : ok ? '  ok' : '  MISSED';
    const run = this.runs > 1 ? `run ${this.run + 1}/${this.runs} ` : '';
    console.log(`${run}[${issue}] ${name}: ${value}${target ? ` (target ${target})` : ''}${mark}`);
  }

  /** Figures by area and name; a name's digits may differ between runs (counts it reports), its words may not. */
  aggregates(): Aggregate[] {
    const byKey = new Map<string, Aggregate>();
    for (const f of this.figures) {
      const key = `${f.issue}\u0000${f.name.replace(NUMBER, '#')}`;
      let a = byKey.get(key);
      if (!a) byKey.set(key, (a = { issue: f.issue, name: f.name, target: f.target, runs: [] }));
      a.runs.push(f);
    }
    return [...byKey.values()];
  }

  markdown(header = ''): string {
    const rows = this.aggregates().map((a) => {
      const value = combine(a.runs.map((f) => f.value));
      const judged = a.target ? (meets(value, a.target) ?? a.runs.every((f) => f.ok !== false)) : undefined;
      const verdict = judged === undefined ? '' : judged ? ' ok' : ' MISSED';
      return `| ${a.issue} | ${a.name} | ${value} | ${a.target ?? ''}${verdict} |`;
    });
    const runs = Math.max(1, ...this.aggregates().map((a) => a.runs.length));
    const title = runs > 1 ? `| area | figure | median of ${runs} runs (range of the first number) | target |` : '| area | figure | measured | target |';
    return [header, title, '|---|---|---|---|', ...rows].filter(Boolean).join('\n');
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
