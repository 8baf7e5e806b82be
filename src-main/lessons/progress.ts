/**
 * The learner's progress through lessons: which lesson and step is active, which steps passed, attempts and times.
 * One JSON file in the state directory (mode 0600, written to a temporary file, fsynced and renamed over the old
 * one, so a crash leaves the old or the new file, never half of one); in memory only without a state directory.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface StepProgress {
  attempts: number;
  /** Epoch ms (wall clock: an instructor reads these). */
  firstAttemptAt?: number;
  lastAttemptAt?: number;
  passedAt?: number;
}

export interface LessonProgress {
  /** Where the lesson came from: `builtin`, `imported`, or the folder it was started from. */
  source: string;
  title: string;
  startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  /** 1-based current step. */
  step: number;
  /** The furthest step reached (next/previous move between 1 and this). */
  reached: number;
  steps: StepProgress[];
  resets: number;
}

export interface ProgressData {
  version: 1;
  language?: string;
  active: { lesson: string } | null;
  lessons: Record<string, LessonProgress>;
}

const EMPTY = (): ProgressData => ({ version: 1, active: null, lessons: {} });

export class ProgressStore {
  private data: ProgressData;

  constructor(private readonly path: string | undefined) {
    this.data = path ? readProgress(path) : EMPTY();
  }

  get(): ProgressData {
    return this.data;
  }

  update(change: (d: ProgressData) => void): void {
    change(this.data);
    if (this.path) writeAtomic(this.path, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}

function readProgress(path: string): ProgressData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return EMPTY();
  }
  try {
    const d = JSON.parse(text) as ProgressData;
    if (d?.version !== 1 || typeof d.lessons !== 'object' || d.lessons === null) return EMPTY();
    return { version: 1, language: d.language, active: d.active && typeof d.active.lesson === 'string' ? d.active : null, lessons: d.lessons };
  } catch {
    // A file another program broke: start afresh rather than refuse to run (the old one is kept beside).
    try {
      renameSync(path, `${path}.corrupt`);
    } catch {
      /* keep going */
    }
    return EMPTY();
  }
}

export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
