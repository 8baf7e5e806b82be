/**
 * A learner's hands on the lesson pane, for the lesson e2e tests: start a lesson from the list, click a page's
 * {{exec}} / {{copy}} code, press Check and read what it says (passed, or the exit status and the hint).
 */
import type { Page } from 'playwright';
import { eventually, terminalText } from './harness.ts';

const pane = (page: Page) => page.locator('[data-testid="lesson-pane"]');

export async function startLesson(page: Page, id: string): Promise<void> {
  const item = page.locator(`[data-testid="lesson-item"][data-lesson="${id}"]`);
  await item.waitFor({ timeout: 30_000 });
  await item.locator('[data-testid="lesson-start"]').click();
  await eventually(page, () => pane(page).getAttribute('data-lesson'), (v) => v === id, `lesson ${id} started`, 120_000);
  await page.locator('[data-testid="lesson-page"]').waitFor({ timeout: 30_000 });
}

export async function currentStep(page: Page): Promise<number> {
  return Number(await pane(page).getAttribute('data-step'));
}

export async function waitStep(page: Page, step: number, timeoutMs = 30_000): Promise<void> {
  await eventually(page, () => currentStep(page), (s) => s === step, `step ${step}`, timeoutMs);
}

/** The page's {{exec}} code (block `index` in the page's own numbering), clicked; `then` waits for its output. */
export async function exec(page: Page, index: number, then?: RegExp, timeoutMs = 60_000): Promise<void> {
  const mark = (await terminalText(page)).length;
  await page.locator(`[data-testid="lesson-page"] [data-testid="lesson-exec"][data-index="${index}"]`).click();
  if (then) await eventually(page, async () => (await terminalText(page)).slice(Math.max(0, mark - 200)), (t) => then.test(t), `terminal shows ${then} after exec ${index}`, timeoutMs);
}

export interface CheckShown {
  passed: boolean;
  status: string | null;
  hint: string;
  output: string;
  step: number;
}

/** Check pressed; waits until the result is on screen (a pass moves to the next step). */
export async function check(page: Page): Promise<CheckShown> {
  const before = await currentStep(page);
  const finishedBefore = await pane(page).getAttribute('data-finished');
  const button = page.locator('[data-testid="lesson-check"]');
  await button.click();
  await eventually(page, () => button.count().then(async (n) => (n ? await button.isEnabled() : true)), (v) => v, 'the check finished', 90_000);
  const result = page.locator('[data-testid="lesson-result"]');
  await result.waitFor({ timeout: 10_000 });
  const passed = (await result.getAttribute('data-passed')) === 'true';
  const hint = page.locator('[data-testid="lesson-hint"]');
  const output = page.locator('[data-testid="lesson-result-output"]');
  return {
    passed,
    status: await result.getAttribute('data-status'),
    hint: (await hint.count()) ? ((await hint.textContent()) ?? '') : '',
    output: (await output.count()) ? ((await output.textContent()) ?? '') : '',
    step: passed && finishedBefore !== 'true' ? before : await currentStep(page),
  };
}

/** Repeats `run` and Check until the check passes (kube-proxy picks endpoints at random), at most `times`. */
export async function until(page: Page, run: () => Promise<void>, times = 4): Promise<CheckShown> {
  let last: CheckShown | undefined;
  for (let i = 0; i < times; i++) {
    try {
      await run();
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- the terminal ends with:\n${(await terminalText(page)).trimEnd().slice(-1500)}`);
    }
    last = await check(page);
    if (last.passed) return last;
  }
  throw new Error(`the check still fails after ${times} tries: status ${last?.status}, hint ${last?.hint}, output ${last?.output}\n--- the terminal ends with:\n${(await terminalText(page)).trimEnd().slice(-1500)}`);
}
