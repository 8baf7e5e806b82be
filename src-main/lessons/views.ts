/** Builds the contract's lesson views (pages, state, summaries, the progress export) from a loaded lesson. */
import { hostname, userInfo } from 'node:os';
import type { LessonState, LessonSummary, LessonView, PageView, ProgressExport } from '../contract/lessons.ts';
import type { CatalogEntry } from './catalog.ts';
import { textsFor, type Lesson, type PageScripts, type PageText } from './load.ts';
import { parseMarkdown } from './markdown.ts';
import type { LessonProgress, ProgressData } from './progress.ts';

function page(kind: PageView['kind'], number: number, text: PageText, scripts: PageScripts, verify: boolean, highlight: PageView['highlight'] = []): PageView {
  const { markdown, blocks } = parseMarkdown(text.markdown);
  return { kind, number, title: text.title, markdown, blocks, verify, highlight, foreground: scripts.foreground?.source ?? null };
}

export function introPage(lesson: Lesson, lang?: string): PageView | null {
  const t = textsFor(lesson, lang).texts.intro;
  return t ? page('intro', 0, t, lesson.intro, false) : null;
}

export function stepPage(lesson: Lesson, step: number, lang?: string): PageView {
  const t = textsFor(lesson, lang).texts.steps[step - 1]!;
  const s = lesson.steps[step - 1]!;
  return page('step', step, t, s, !!s.verify, s.highlight);
}

export function finishPage(lesson: Lesson, lang?: string): PageView | null {
  const t = textsFor(lesson, lang).texts.finish;
  return t ? page('finish', lesson.steps.length + 1, t, lesson.finish, false) : null;
}

export function lessonView(lesson: Lesson, lang?: string): LessonView {
  const { language, texts } = textsFor(lesson, lang);
  return {
    id: lesson.id,
    title: texts.title,
    description: texts.description,
    language,
    languages: lesson.languages,
    intro: introPage(lesson, language),
    steps: lesson.steps.map((_, i) => stepPage(lesson, i + 1, language)),
    finish: finishPage(lesson, language),
  };
}

export function passedSteps(p: LessonProgress | undefined): number[] {
  return p ? p.steps.flatMap((s, i) => (s.passedAt !== undefined ? [i + 1] : [])) : [];
}

export function lessonState(lesson: Lesson, p: LessonProgress, lang?: string): LessonState {
  const { language, texts } = textsFor(lesson, lang);
  const finished = p.finishedAt !== undefined;
  return {
    id: lesson.id,
    title: texts.title,
    language,
    languages: lesson.languages,
    step: p.step,
    total: lesson.steps.length,
    reached: p.reached,
    passed: passedSteps(p),
    attempts: p.steps[p.step - 1]?.attempts ?? 0,
    finished,
    page: (finished && finishPage(lesson, language)) || stepPage(lesson, p.step, language),
  };
}

export function summary(entry: CatalogEntry, lesson: Lesson, data: ProgressData, lang?: string): LessonSummary {
  const { language, texts } = textsFor(lesson, lang);
  const p = data.lessons[entry.id];
  return {
    id: entry.id,
    title: texts.title,
    description: texts.description,
    language,
    languages: lesson.languages,
    steps: lesson.steps.length,
    source: entry.source,
    passed: passedSteps(p).length,
    finished: p?.finishedAt !== undefined,
    active: data.active?.lesson === entry.id,
    warnings: lesson.warnings,
  };
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function progressExport(data: ProgressData, stepTitles: (id: string) => string[] | undefined, now: number, learner?: string): ProgressExport {
  let name = learner;
  if (!name) {
    try {
      name = userInfo().username;
    } catch {
      name = 'unknown';
    }
  }
  return {
    kind: 'KubelabLessonProgress',
    version: 1,
    learner: { name, host: hostname() },
    exportedAt: new Date(now).toISOString(),
    lessons: Object.entries(data.lessons).map(([id, p]) => {
      const titles = stepTitles(id) ?? [];
      return {
        id,
        title: p.title,
        source: p.source,
        total: p.steps.length,
        step: p.step,
        stepsPassed: passedSteps(p),
        finished: p.finishedAt !== undefined,
        startedAt: iso(p.startedAt)!,
        updatedAt: iso(p.updatedAt)!,
        finishedAt: iso(p.finishedAt),
        resets: p.resets,
        steps: p.steps.map((s, i) => ({ step: i + 1, title: titles[i] ?? `Step ${i + 1}`, attempts: s.attempts, firstAttemptAt: iso(s.firstAttemptAt), passedAt: iso(s.passedAt) })),
      };
    }),
  };
}
