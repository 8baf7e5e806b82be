/** Lessons as the renderer sees them: plain data (the engine is src-main/lessons; the format is in docs/lessons.md). */
/** An object a page is about (the contract's ObjectRef, repeated so this file imports nothing). */
export interface HighlightRef {
  kind: string;
  namespace?: string;
  name: string;
}

export type CodeAction = 'exec' | 'copy' | 'none';

/** A code block or marked inline code of a page, with its Killercoda action (`{{exec}}`, `{{copy}}`). */
export interface CodeBlock {
  /** Order in the page (fenced blocks and marked inline code together). */
  index: number;
  kind: 'block' | 'inline';
  /** The fence's info string (`bash`, `yaml`), or null. */
  lang: string | null;
  /** The code exactly as it renders: the text of its <code> element. */
  code: string;
  action: CodeAction;
  /** `{{exec interrupt}}`: send Ctrl-C to the terminal before running. */
  interrupt: boolean;
}

export interface PageView {
  kind: 'intro' | 'step' | 'finish';
  /** 0 for the intro, 1..total for steps, total + 1 for the finish page. */
  number: number;
  title: string;
  /** CommonMark, the action markers removed; render it, then give the <code> elements of `blocks` their buttons. */
  markdown: string;
  blocks: CodeBlock[];
  /** Whether a check is needed to go on (a step without a verify script is done once read). */
  verify: boolean;
  /** Objects the page is about, for the map. */
  highlight: HighlightRef[];
  /** The page's foreground script, for a UI that types it into the learner's terminal. */
  foreground: string | null;
}

export interface LessonSummary {
  id: string;
  title: string;
  description: string;
  /** The language of the texts below; `languages` lists all the lesson has. */
  language: string;
  languages: string[];
  steps: number;
  source: 'builtin' | 'imported' | 'path';
  passed: number;
  finished: boolean;
  active: boolean;
  warnings: string[];
}

export interface LessonView {
  id: string;
  title: string;
  description: string;
  language: string;
  languages: string[];
  intro: PageView | null;
  steps: PageView[];
  finish: PageView | null;
}

export interface LessonState {
  id: string;
  title: string;
  language: string;
  languages: string[];
  /** The current step, 1-based. */
  step: number;
  total: number;
  /** The furthest step reached: next/previous move between 1 and this. */
  reached: number;
  /** Steps whose check passed, 1-based. */
  passed: number[];
  attempts: number;
  finished: boolean;
  /** The current step's page, or the finish page once finished. */
  page: PageView;
}

export interface CheckResult {
  passed: boolean;
  /** The step that was checked. */
  step: number;
  /** The verify script's exit status (0 when it passed or the step has none). */
  status: number;
  /** What the verify script printed (stdout, then stderr). */
  output: string;
  /** Markdown: the hint for this exit status, else the step's hint; null when passed or the step has none. */
  hint: string | null;
  finished: boolean;
  state: LessonState;
}

export interface StartResult {
  state: LessonState;
  /** What the foreground scripts printed (when the engine ran them). */
  output: string;
  /** Background scripts that failed, as "<path>: exit N: <stderr>". */
  warnings: string[];
}

/** `kubelab lesson progress --export FILE`: one file an instructor collects. */
export interface ProgressExport {
  kind: 'KubelabLessonProgress';
  version: 1;
  learner: { name: string; host: string };
  exportedAt: string;
  lessons: Array<{
    id: string;
    title: string;
    source: string;
    total: number;
    step: number;
    stepsPassed: number[];
    finished: boolean;
    startedAt: string;
    updatedAt: string;
    finishedAt: string | null;
    resets: number;
    steps: Array<{ step: number; title: string; attempts: number; firstAttemptAt: string | null; passedAt: string | null }>;
  }>;
}

/** One file of a lesson pack sent by the page: `name.zip`, or `pack/lesson/index.json` (a folder's relative path). */
export interface PackFile {
  path: string;
  /** The content, base64. */
  base64: string;
}
