/** Collects benchmark figures and prints them as one table (also returned for README updates). */
export interface Figure {
  issue: string;
  name: string;
  value: string;
  target?: string;
  ok?: boolean;
}

export class Report {
  readonly figures: Figure[] = [];

  add(issue: string, name: string, value: string, target?: string, ok?: boolean): void {
    this.figures.push({ issue, name, value, target, ok });
    const mark = ok === undefined ? '' : ok ? '  ok' : '  MISSED';
    console.log(`[${issue}] ${name}: ${value}${target ? ` (target ${target})` : ''}${mark}`);
  }

  markdown(): string {
    const rows = this.figures.map((f) => `| ${f.issue} | ${f.name} | ${f.value} | ${f.target ?? ''} |`);
    return ['| area | figure | measured | target |', '|---|---|---|---|', ...rows].join('\n');
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
