/**
 * A scripted learner for lesson tests, on the learner's road: a `kubelab serve` process, the outside CLI
 * (`bin/kubelab.mjs lesson ...`), and lines in its cluster shell through the serve's shell endpoint (what the
 * terminal and `kubelab shell -c` use). `runExecBlocks(n)` runs a page's {{exec}} blocks in order as clicks would:
 * a block followed by an {{exec interrupt}} block (a watch) runs for a moment and is then interrupted.
 *
 *   const lab = await startLessonLab();
 *   await lab.kubelab(['lesson', 'start', 'clusterip']);
 *   assert.equal((await lab.check()).status, 1);      // not done yet: the hint
 *   await lab.runExecBlocks();
 *   assert.equal((await lab.check()).status, 0);      // passed, on to the next step
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeBlock, PageView } from '../../src-main/contract/lessons.ts';
import { runInLab } from '../../src-main/cli/lesson.ts';
import { startServe } from '../integration/serve-process.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin/kubelab.mjs');

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Where a line runs: a node's cluster shell (master by default) or the laptop's shell. */
export type Where = { node?: string; laptop?: boolean };

export interface ShOptions extends Where {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface LessonLab {
  kubeconfig: string;
  stateDir: string;
  /** `bin/kubelab.mjs ARGS --kubeconfig <this lab's>` as a child process (the outside form). */
  kubelab(args: string[], opts?: { cwd?: string }): Promise<RunResult>;
  /** One line in the cluster shell on master (as typed in the terminal), or on `node`, or in the laptop's shell. */
  sh(line: string, opts?: ShOptions): Promise<RunResult>;
  /** One line in the laptop's shell (the Laptop tab, `kubelab shell --laptop`). */
  laptop(line: string, opts?: ShOptions): Promise<RunResult>;
  /** `kubelab lesson check` inside the cluster shell. */
  check(): Promise<RunResult>;
  /** The current page (or step `n`) as the UI gets it. */
  page(n?: number): Promise<PageView>;
  /** Runs the page's {{exec}} blocks (all, or those `pick` keeps) in order; returns each block's result. */
  runExecBlocks(n?: number, pick?: (b: CodeBlock) => boolean, where?: Where): Promise<RunResult[]>;
  /** Repeats `line` until `done` says so (a learner retrying a curl), at most `times`. */
  retry(line: string, done: () => Promise<boolean>, times?: number): Promise<void>;
  /** Stops the serve; `restart()` starts it again on the same state directory. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and removes the state directory. */
  close(): Promise<void>;
}

/** How long a watch (a block an {{exec interrupt}} block follows) runs before Ctrl-C. */
const WATCH_MS = 1500;

export async function startLessonLab(): Promise<LessonLab> {
  const stateDir = mkdtempSync(join(tmpdir(), 'kubelab-lesson-'));
  let serve = await startServe(['--state', stateDir]);
  let running = true;
  const kubeconfig = serve.kubeconfig;
  const sh = async (line: string, opts: ShOptions = {}): Promise<RunResult> => {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), opts.timeoutMs ?? 120_000);
    opts.signal?.addEventListener('abort', () => ac.abort(), { once: true });
    try {
      return await runInLab(kubeconfig, line, ac.signal, { node: opts.node, laptop: opts.laptop });
    } finally {
      clearTimeout(timer);
    }
  };
  const page = async (n?: number) => {
    const r = await sh(`kubelab lesson step${n === undefined ? '' : ` ${n}`} -o json`);
    if (r.status !== 0) throw new Error(`kubelab lesson step: ${r.stderr}`);
    return JSON.parse(r.stdout) as PageView;
  };
  const lab: LessonLab = {
    kubeconfig,
    stateDir,
    kubelab: (args, opts = {}) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [bin, ...args, '--kubeconfig', kubeconfig], { cwd: opts.cwd ?? root, env: { ...process.env, KUBELAB_FROM_SOURCE: '1' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ status: code ?? 1, stdout, stderr }));
      }),
    sh,
    laptop: (line, opts = {}) => sh(line, { ...opts, laptop: true }),
    check: () => sh('kubelab lesson check'),
    page,
    async runExecBlocks(n, pick = () => true, where = {}) {
      const blocks = (await page(n)).blocks.filter((b) => b.action === 'exec' && pick(b));
      const results: RunResult[] = [];
      for (const [i, b] of blocks.entries()) {
        const watch = blocks[i + 1]?.interrupt === true;
        const ac = new AbortController();
        const timer = watch ? setTimeout(() => ac.abort(), WATCH_MS) : undefined;
        results.push(await sh(b.code, { ...where, signal: ac.signal }));
        clearTimeout(timer);
      }
      return results;
    },
    async retry(line, done, times = 8) {
      for (let i = 0; i < times; i++) {
        if (await done()) return;
        await sh(line);
      }
      if (!(await done())) throw new Error(`still not done after ${times} times: ${line}`);
    },
    async stop() {
      if (running) await serve.stop();
      running = false;
    },
    async restart() {
      if (running) await serve.stop();
      serve = await startServe(['--state', stateDir]);
      running = true;
    },
    async close() {
      await lab.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return lab;
}
