/** `kubelab lesson` in a terminal: pages as their Markdown, results as a few plain lines. */
import type { CheckResult, LessonState, LessonSummary, PageView, StartResult } from '../contract/lessons.ts';
import { tabulate } from '../printers/text/tabwriter.ts';

/** Columns a terminal gives the text: Hangul, CJK and full-width forms take two. */
function displayWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return n;
}

export function pageText(p: PageView, total: number): string {
  const head = p.kind === 'step' ? `Step ${p.number}/${total}: ${p.title}` : p.title;
  const body = p.markdown.trim();
  return `${head}\n${'='.repeat(Math.min(72, displayWidth(head)))}\n\n${body}\n`;
}

const CHECK_TIP = "\nWhen you are done, run 'kubelab lesson check'.\n";

export function stateText(s: LessonState): string {
  const passed = `${s.passed.length}/${s.total} steps passed`;
  const where = s.finished ? 'finished' : `step ${s.step}/${s.total}`;
  return `Lesson ${s.id}: ${s.title} (${where}, ${passed})\n\n${pageText(s.page, s.total)}${s.finished || !s.page.verify ? '' : CHECK_TIP}`;
}

export function startText(r: StartResult, intro: PageView | null): string {
  const parts = [intro ? pageText(intro, r.state.total) + '\n' : '', r.output, stateText(r.state)];
  for (const w of r.warnings) parts.push(`warning: ${w}\n`);
  return parts.join('');
}

export function checkText(r: CheckResult, title: string): string {
  const total = r.state.total;
  const lines: string[] = [];
  if (r.passed) {
    lines.push(`Step ${r.step}/${total} passed: ${title}\n`);
    if (r.output.trim()) lines.push(`${r.output.trimEnd()}\n`);
    lines.push('\n', r.finished ? `Lesson finished: ${r.state.title}\n\n${r.state.page.kind === 'finish' ? pageText(r.state.page, total) : ''}` : stateText(r.state));
  } else {
    lines.push(`Step ${r.step}/${total} not passed yet: ${title}\n`);
    if (r.output.trim()) lines.push(`\n${r.output.trimEnd()}\n`);
    if (r.hint) lines.push(`\nHint: ${r.hint.trim()}\n`);
  }
  return lines.join('');
}

export function listText(rows: LessonSummary[], wide: boolean): string {
  if (!rows.length) return 'No lessons found.\n';
  const head = ['CURRENT', 'ID', 'TITLE', 'STEPS', 'PASSED', 'LANGUAGES', 'SOURCE', ...(wide ? ['WARNINGS'] : [])];
  const body = rows.map((r) => [
    r.active ? '*' : '', r.id, r.title, String(r.steps), r.finished ? 'finished' : `${r.passed}/${r.steps}`, r.languages.join(','), r.source,
    ...(wide ? [r.warnings.join('; ') || '<none>'] : []),
  ]);
  return tabulate([head, ...body].map((c) => c.join('\t')).join('\n') + '\n', { minwidth: 6, padding: 3 });
}
