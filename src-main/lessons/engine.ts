/**
 * The lesson engine: starts a lesson (the cluster reset, the intro's assets and scripts, the first step), checks the
 * current step by running its verify script in the lab's shell (exit 0: passed, on to the next step; otherwise the
 * hint), and keeps the learner's progress. Every step's start marks the traffic counters, so checks can ask what
 * happened "since the step began". One operation at a time; the shell command, the CLI and the UI all come here.
 */
import { join } from 'node:path';
import type { CheckResult, LessonState, LessonSummary, LessonView, PageView, ProgressExport, StartResult } from '../contract/lessons.ts';
import { LessonCatalog, type CatalogEntry } from './catalog.ts';
import { isLanguage, placeOfHost, type ScriptPlace } from './format.ts';
import { loadLesson, textsFor, type Lesson, type Script } from './load.ts';
import { importPack } from './pack.ts';
import { ProgressStore, type LessonProgress } from './progress.ts';
import { assetScript } from './assets.ts';
import { finishPage, introPage, lessonState, lessonView, progressExport, stepPage, summary } from './views.ts';

export interface ScriptResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a script in the lab's own shell at `place` (the host implements it over its terminal manager). */
export interface ScriptRunner {
  run(place: ScriptPlace, script: string, opts: { timeoutMs: number }): Promise<ScriptResult>;
}

export interface LessonEngineOptions {
  runner: ScriptRunner;
  /** "Reset cluster": what the learner made goes, the system objects stay. */
  resetCluster(): Promise<void>;
  /** Marks the traffic counters as the step begins (`kubelab traffic --since step`). */
  markTraffic?(): Promise<unknown>;
  /** Node names in order, the control plane first (Killercoda's host01, host02...). */
  nodes(): string[];
  builtinDir: string;
  /** Imported packs go under `<lessonsDir>/imported`, progress in `<lessonsDir>/progress.json`; memory only without. */
  lessonsDir: string;
  persistProgress: boolean;
  /** Wall clock for progress times (an instructor reads them); injectable for tests. */
  now?: () => number;
  verifyTimeoutMs?: number;
  scriptTimeoutMs?: number;
}

/** What the shell's `kubelab lesson` and the contract's lesson.* requests call. */
export interface LessonControls {
  list(lang?: string): LessonSummary[];
  get(ref: string, lang?: string): LessonView;
  start(ref: string, opts?: { lang?: string; runForeground?: boolean; cwd?: string }): Promise<StartResult>;
  status(lang?: string): LessonState | null;
  page(step?: number, lang?: string): PageView;
  check(lang?: string): Promise<CheckResult>;
  next(lang?: string): Promise<LessonState>;
  previous(lang?: string): Promise<LessonState>;
  reset(opts?: { lang?: string; runForeground?: boolean }): Promise<StartResult>;
  importPack(path: string, lang?: string): LessonSummary[];
  exportProgress(learner?: string): ProgressExport;
  setLanguage(lang: string): void;
  language(): string;
  onChange(listener: (state: LessonState | null) => void): () => void;
}

export class LessonError extends Error {}

const VERIFY_TIMEOUT_MS = 60_000;
const SCRIPT_TIMEOUT_MS = 120_000;

export class LessonEngine implements LessonControls {
  readonly catalog: LessonCatalog;
  private readonly progress: ProgressStore;
  private readonly loaded = new Map<string, Lesson>();
  private readonly listeners = new Set<(s: LessonState | null) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly opts: LessonEngineOptions) {
    this.catalog = new LessonCatalog(opts.builtinDir, join(opts.lessonsDir, 'imported'));
    this.progress = new ProgressStore(opts.persistProgress ? join(opts.lessonsDir, 'progress.json') : undefined);
    this.now = opts.now ?? Date.now;
  }

  /** After a restart: the active step's traffic mark is gone with the old workers; counting starts again now. */
  async resume(): Promise<void> {
    if (this.progress.get().active) await this.opts.markTraffic?.();
  }

  language(): string {
    return this.progress.get().language ?? 'en';
  }

  setLanguage(lang: string): void {
    if (!isLanguage(lang)) throw new LessonError(`invalid language "${lang}": want a code such as en or ko`);
    if (this.progress.get().language === lang) return;
    this.progress.update((d) => void (d.language = lang));
    this.emit();
  }

  private lang(lang: string | undefined): string {
    if (lang !== undefined) this.setLanguage(lang);
    return this.language();
  }

  onChange(listener: (state: LessonState | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    let s: LessonState | null = null;
    try {
      s = this.status();
    } catch {
      s = null;
    }
    for (const l of this.listeners) l(s);
  }

  /** Operations run one after another (a check while a start resets the cluster would see half a cluster). */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private entry(ref: string, cwd?: string): CatalogEntry {
    const e = this.catalog.resolve(ref, cwd);
    if (!e) throw new LessonError(`lesson "${ref}" not found (kubelab lesson list shows the lessons; a path names a folder with an index.json)`);
    return e;
  }

  private lesson(e: CatalogEntry, reload = false): Lesson {
    let l = this.loaded.get(e.id);
    if (!l || reload) this.loaded.set(e.id, (l = loadLesson(e.dir, e.id)));
    return l;
  }

  /** The active lesson and its progress, or an error a learner understands. */
  private active(): { lesson: Lesson; p: LessonProgress } {
    const d = this.progress.get();
    const id = d.active?.lesson;
    const p = id ? d.lessons[id] : undefined;
    if (!id || !p) throw new LessonError('no lesson is running (kubelab lesson start ID)');
    const e = this.catalog.resolve(id) ?? (p.source !== 'builtin' && p.source !== 'imported' ? { id, dir: p.source, source: 'path' as const } : undefined);
    if (!e) throw new LessonError(`lesson "${id}" is no longer available`);
    return { lesson: this.lesson(e), p };
  }

  list(lang?: string): LessonSummary[] {
    const l = this.lang(lang);
    const data = this.progress.get();
    return this.catalog.entries().flatMap((e) => {
      try {
        return [summary(e, this.lesson(e), data, l)];
      } catch {
        return [];
      }
    });
  }

  get(ref: string, lang?: string): LessonView {
    return lessonView(this.lesson(this.entry(ref)), this.lang(lang));
  }

  status(lang?: string): LessonState | null {
    if (!this.progress.get().active) return null;
    const { lesson, p } = this.active();
    return lessonState(lesson, p, this.lang(lang));
  }

  page(step?: number, lang?: string): PageView {
    const { lesson, p } = this.active();
    const l = this.lang(lang);
    const n = step ?? p.step;
    if (n === 0) return introPage(lesson, l) ?? stepPage(lesson, 1, l);
    if (n === lesson.steps.length + 1) {
      const f = finishPage(lesson, l);
      if (f) return f;
    }
    if (!Number.isInteger(n) || n < 1 || n > lesson.steps.length) throw new LessonError(`step ${n} does not exist: the lesson has steps 1 to ${lesson.steps.length}`);
    return stepPage(lesson, n, l);
  }

  start(ref: string, opts: { lang?: string; runForeground?: boolean; cwd?: string } = {}): Promise<StartResult> {
    return this.serial(async () => {
      const e = this.entry(ref, opts.cwd);
      const lesson = this.lesson(e, true);
      const lang = this.lang(opts.lang);
      const out = await this.begin(e, lesson, opts.runForeground !== false);
      return { ...out, state: lessonState(lesson, this.progress.get().lessons[e.id]!, lang) };
    });
  }

  reset(opts: { lang?: string; runForeground?: boolean } = {}): Promise<StartResult> {
    const { lesson } = this.active();
    return this.start(lesson.id.startsWith('/') ? lesson.dir : lesson.id, opts);
  }

  private async begin(e: CatalogEntry, lesson: Lesson, foreground: boolean): Promise<Omit<StartResult, 'state'>> {
    const warnings: string[] = [];
    const output: string[] = [];
    await this.opts.resetCluster();
    for (const a of lesson.assets) {
      const place = placeOfHost(a.host, this.opts.nodes());
      if (!place) {
        warnings.push(`details.assets.${a.host}: no such host in this cluster`);
        continue;
      }
      await this.script({ path: `assets/${a.file}`, source: assetScript(a), place }, warnings);
    }
    await this.script(lesson.intro.background, warnings);
    if (foreground) output.push(await this.script(lesson.intro.foreground, warnings, true));
    const now = this.now();
    const old = this.progress.get().lessons[e.id];
    const title = textsFor(lesson, 'en').texts.title;
    this.progress.update((d) => {
      d.active = { lesson: e.id };
      d.lessons[e.id] = {
        source: e.source === 'path' ? e.dir : e.source,
        title,
        startedAt: now,
        updatedAt: now,
        step: 1,
        reached: 0,
        steps: lesson.steps.map(() => ({ attempts: 0 })),
        resets: old ? old.resets + 1 : 0,
      };
    });
    if (lesson.steps.length) output.push(await this.enter(lesson, this.progress.get().lessons[e.id]!, 1, foreground, warnings));
    this.emit();
    return { output: output.filter(Boolean).join(''), warnings };
  }

  /** Runs a script; a failing background or foreground script is the author's problem: noted, not fatal. */
  private async script(s: Script | undefined, warnings: string[], show = false): Promise<string> {
    if (!s) return '';
    let r: ScriptResult;
    try {
      r = await this.opts.runner.run(s.place, s.source, { timeoutMs: this.opts.scriptTimeoutMs ?? SCRIPT_TIMEOUT_MS });
    } catch (e) {
      warnings.push(`${s.path}: ${(e as Error).message}`);
      return '';
    }
    if (r.status !== 0) warnings.push(`${s.path}: exit status ${r.status}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`);
    return show ? r.stdout + r.stderr : '';
  }

  /** Makes `step` current: its background and foreground the first time it is reached, and a traffic mark. */
  private async enter(lesson: Lesson, p: LessonProgress, step: number, foreground: boolean, warnings: string[]): Promise<string> {
    let output = '';
    if (step > p.reached) {
      const s = lesson.steps[step - 1]!;
      await this.script(s.background, warnings);
      if (foreground) output = await this.script(s.foreground, warnings, true);
    }
    await this.opts.markTraffic?.();
    this.progress.update(() => {
      p.step = step;
      p.reached = Math.max(p.reached, step);
      p.updatedAt = this.now();
    });
    return output;
  }

  check(lang?: string): Promise<CheckResult> {
    return this.serial(async () => {
      const { lesson, p } = this.active();
      const l = this.lang(lang);
      const step = p.step;
      if (p.finishedAt !== undefined) return { passed: true, step, status: 0, output: '', hint: null, finished: true, state: lessonState(lesson, p, l) };
      const verify = lesson.steps[step - 1]!.verify;
      const now = this.now();
      let r: ScriptResult = { status: 0, stdout: '', stderr: '' };
      if (verify) {
        try {
          r = await this.opts.runner.run(verify.place, verify.source, { timeoutMs: this.opts.verifyTimeoutMs ?? VERIFY_TIMEOUT_MS });
        } catch (e) {
          r = { status: 1, stdout: '', stderr: `${(e as Error).message}\n` };
        }
      }
      const s = p.steps[step - 1]!;
      this.progress.update(() => {
        s.attempts++;
        s.firstAttemptAt ??= now;
        s.lastAttemptAt = now;
        if (r.status === 0) s.passedAt ??= now;
        p.updatedAt = now;
      });
      const output = r.stdout + r.stderr;
      if (r.status !== 0) {
        const hints = textsFor(lesson, l).texts.steps[step - 1]!.hints;
        this.emit();
        return { passed: false, step, status: r.status, output, hint: hints.byStatus[String(r.status)] ?? hints.default ?? null, finished: false, state: lessonState(lesson, p, l) };
      }
      await this.advance(lesson, p);
      this.emit();
      return { passed: true, step, status: 0, output, hint: null, finished: p.finishedAt !== undefined, state: lessonState(lesson, p, l) };
    });
  }

  /** After a passed step: the next step, or the finish (its scripts run once). */
  private async advance(lesson: Lesson, p: LessonProgress): Promise<void> {
    const warnings: string[] = [];
    if (p.step < lesson.steps.length) {
      await this.enter(lesson, p, p.step + 1, true, warnings);
      return;
    }
    if (p.steps.every((s) => s.passedAt !== undefined) && p.finishedAt === undefined) {
      await this.script(lesson.finish.background, warnings);
      await this.script(lesson.finish.foreground, warnings);
      this.progress.update(() => void (p.finishedAt = this.now()));
    }
  }

  next(lang?: string): Promise<LessonState> {
    return this.serial(async () => {
      const { lesson, p } = this.active();
      const l = this.lang(lang);
      const s = p.steps[p.step - 1]!;
      const done = s.passedAt !== undefined || !lesson.steps[p.step - 1]!.verify;
      if (!done && p.step >= p.reached) throw new LessonError(`step ${p.step} is not done yet: its check has not passed (kubelab lesson check)`);
      if (!lesson.steps[p.step - 1]!.verify && s.passedAt === undefined) this.progress.update(() => void (s.passedAt = this.now()));
      if (p.step < lesson.steps.length) await this.enter(lesson, p, p.step + 1, true, []);
      else if (p.finishedAt === undefined) await this.advance(lesson, p);
      this.emit();
      return lessonState(lesson, p, l);
    });
  }

  previous(lang?: string): Promise<LessonState> {
    return this.serial(async () => {
      const { lesson, p } = this.active();
      const l = this.lang(lang);
      if (p.step <= 1) throw new LessonError('this is the first step');
      await this.enter(lesson, p, p.step - 1, false, []);
      this.emit();
      return lessonState(lesson, p, l);
    });
  }

  importPack(path: string, lang?: string): LessonSummary[] {
    const reserved = new Set(this.catalog.entries().filter((e) => e.source === 'builtin').map((e) => e.id));
    const { ids } = importPack(path, this.catalog.importedDir, reserved);
    for (const id of ids) this.loaded.delete(id);
    return this.list(lang).filter((s) => ids.includes(s.id));
  }

  exportProgress(learner?: string): ProgressExport {
    const titles = (id: string) => {
      try {
        const e = this.catalog.resolve(id);
        return e ? textsFor(this.lesson(e), 'en').texts.steps.map((s) => s.title) : undefined;
      } catch {
        return undefined;
      }
    };
    return progressExport(this.progress.get(), titles, this.now(), learner);
  }
}
