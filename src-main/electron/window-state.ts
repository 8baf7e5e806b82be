/** The main window's bounds, remembered across runs in the user-data dir. */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1400, height: 900, maximized: false };
const MIN_WIDTH = 800;
const MIN_HEIGHT = 500;

function finiteInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : undefined;
}

/** Reads the saved state; anything missing or unreadable falls back to the defaults. */
export function loadWindowState(file: string): WindowState {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  const state: WindowState = {
    width: Math.max(MIN_WIDTH, finiteInt(raw.width) ?? DEFAULT_WINDOW_STATE.width),
    height: Math.max(MIN_HEIGHT, finiteInt(raw.height) ?? DEFAULT_WINDOW_STATE.height),
    maximized: raw.maximized === true,
  };
  const x = finiteInt(raw.x);
  const y = finiteInt(raw.y);
  if (x !== undefined && y !== undefined) {
    state.x = x;
    state.y = y;
  }
  return state;
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(state, null, 2));
  } catch (error) {
    console.error('kubelab: could not save the window state', error);
  }
}

/** Keeps the window on a screen that still exists (a monitor may have been unplugged since). */
export function fitToScreens(state: WindowState, screens: Array<{ x: number; y: number; width: number; height: number }>): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y } = state;
  const visible = screens.some((s) => x >= s.x - 50 && y >= s.y - 50 && x < s.x + s.width - 100 && y < s.y + s.height - 100);
  if (visible) return state;
  const { x: _x, y: _y, ...rest } = state;
  return rest;
}
