/**
 * The lesson pane's state: the lesson list, the running lesson (lesson.status, then lesson.changed, whoever changed
 * it: this page, the shell's `kubelab lesson`, the outside CLI), the last check's result, and the page shown (the
 * current step's, or the intro when asked). Texts come in the UI's language (i18n), asked again when it switches.
 */
import type { HostApi } from '../../../src-main/contract/contract.ts';
import type { CheckResult, LessonState, LessonSummary, PackFile, PageView } from '../../../src-main/contract/lessons.ts';
import { i18n } from '../i18n/i18n.svelte.ts';
import { terminals } from './terminals.svelte.ts';

/** The WebSocket carries at most 4 MiB a message; base64 is 4/3 of the bytes. */
export const MAX_PACK_BYTES = 2.5 * 1024 * 1024;
/** After an {{exec interrupt}}'s Ctrl-C, time for the program to stop before the code is typed. */
const INTERRUPT_PAUSE_MS = 400;

export class LessonStore {
  list = $state.raw<LessonSummary[]>([]);
  state = $state.raw<LessonState | null>(null);
  /** The page shown when it is not the current step's (the intro). */
  other = $state.raw<PageView | null>(null);
  result = $state.raw<CheckResult | null>(null);
  busy = $state<string | null>(null);
  error = $state<string | null>(null);
  /** The learner asked for the list while a lesson runs. */
  browsing = $state(false);
  imported = $state<string[]>([]);
  private offs: Array<() => void> = [];
  private lang = '';

  constructor(readonly api: HostApi) {}

  /** The page on screen. */
  get page(): PageView | null {
    return this.other ?? this.state?.page ?? null;
  }

  /** A lesson is running and not finished: Reset cluster restarts it (lesson.reset). */
  get running(): boolean {
    return !!this.state && !this.state.finished;
  }

  start(): void {
    this.offs.push(
      this.api.subscribe('lesson.changed', (s) => {
        if (s && this.state && s.step !== this.state.step) this.result = null;
        if (!s || s.language === this.lang || !this.lang) this.state = s;
        else void this.refresh();
        this.other = null;
        void this.loadList();
      }),
    );
    void this.refresh();
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** Everything again, in the UI's language (called at start and when the language changes). */
  async refresh(): Promise<void> {
    this.lang = i18n.lang;
    await this.run('load', async () => {
      const [list, state] = await Promise.all([this.api.request('lesson.list', { lang: this.lang }), this.api.request('lesson.status', { lang: this.lang })]);
      this.list = list;
      this.state = state;
      if (this.other) this.other = await this.api.request('lesson.page', { step: this.other.number, lang: this.lang });
      if (this.result && state) this.result = { ...this.result, state };
    });
  }

  private async loadList(): Promise<void> {
    try {
      this.list = await this.api.request('lesson.list', { lang: this.lang || i18n.lang });
    } catch {
      // the next change lists again
    }
  }

  private async run(what: string, op: () => Promise<void>): Promise<void> {
    this.busy = what;
    this.error = null;
    try {
      await op();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = null;
    }
  }

  begin(id: string): Promise<void> {
    return this.run('start', async () => {
      const r = await this.api.request('lesson.start', { id, lang: i18n.lang });
      this.state = r.state;
      this.result = null;
      this.other = null;
      this.browsing = false;
      if (r.warnings.length) this.error = r.warnings.join('\n');
      await this.loadList();
    });
  }

  /** "Reset cluster" while a lesson runs: the lesson's start again (cluster reset, background scripts). */
  resetLesson(): Promise<void> {
    return this.run('reset', async () => {
      const r = await this.api.request('lesson.reset', { lang: i18n.lang });
      this.state = r.state;
      this.result = null;
      this.other = null;
      if (r.warnings.length) this.error = r.warnings.join('\n');
    });
  }

  check(): Promise<void> {
    return this.run('check', async () => {
      const r = await this.api.request('lesson.check', { lang: i18n.lang });
      this.result = r;
      this.state = r.state;
      this.other = null;
    });
  }

  next(): Promise<void> {
    return this.run('next', async () => {
      this.state = await this.api.request('lesson.next', { lang: i18n.lang });
      this.result = null;
      this.other = null;
    });
  }

  previous(): Promise<void> {
    return this.run('previous', async () => {
      this.state = await this.api.request('lesson.previous', { lang: i18n.lang });
      this.result = null;
      this.other = null;
    });
  }

  showIntro(): Promise<void> {
    return this.run('page', async () => {
      this.other = await this.api.request('lesson.page', { step: 0, lang: i18n.lang });
    });
  }

  backToStep(): void {
    this.other = null;
  }

  importFiles(files: File[]): Promise<void> {
    return this.run('import', async () => {
      const total = files.reduce((n, f) => n + f.size, 0);
      if (total > MAX_PACK_BYTES) throw new Error(`the pack is ${(total / 1048576).toFixed(1)} MiB: a page can send at most 2.5 MiB (kubelab lesson import PACK takes any size)`);
      const sent: PackFile[] = await Promise.all(
        files.map(async (f) => ({ path: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name, base64: await base64(f) })),
      );
      const added = await this.api.request('lesson.importFiles', { files: sent, lang: i18n.lang });
      this.imported = added.map((s) => s.id);
      this.browsing = true;
      await this.loadList();
    });
  }

  /** An {{exec}} click: the code typed into the lesson's terminal (a cluster shell), opening one if needed. */
  async exec(chunks: string[]): Promise<void> {
    const usable = (t: (typeof terminals.tabs)[number]) => t.kind === 'cluster' && t.id !== null && t.exitCode === null;
    let tab = terminals.tabs.find((t) => t.key === terminals.active && usable(t)) ?? terminals.tabs.find(usable);
    if (!tab) {
      terminals.open({ kind: 'cluster' }, 'master');
      const key = terminals.active;
      for (let i = 0; i < 100 && !tab; i++) {
        await new Promise((r) => setTimeout(r, 100));
        tab = terminals.tabs.find((t) => t.key === key && t.id !== null);
      }
      if (!tab) throw new Error('no cluster terminal to run it in');
    }
    terminals.active = tab.key;
    for (const [i, data] of chunks.entries()) {
      if (i > 0) await new Promise((r) => setTimeout(r, INTERRUPT_PAUSE_MS));
      await this.api.request('terminal.input', { id: tab.id!, data });
    }
  }
}

async function base64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
