/**
 * The sizes of the resizable panes: the lesson column on the left, the inspector on the right of the map, the
 * terminal under both. Pure (the store in layout.svelte.ts remembers them in localStorage), so Node tests run it.
 */
export interface PaneSizes {
  /** px, the lesson column; 0 when folded away. */
  lesson: number;
  /** px, the inspector column. */
  inspector: number;
  /** px, the terminal's height. */
  terminal: number;
}

export type PaneName = keyof PaneSizes;

/** At 1440x900 the terminal under the map is ~1080 px wide: `kubectl get pods -o wide` (~125 columns) fits a line. */
export const DEFAULT_SIZES: PaneSizes = { lesson: 360, inspector: 340, terminal: 380 };
export const MIN: PaneSizes = { lesson: 240, inspector: 220, terminal: 120 };
/** What the map keeps at the least, across and down. */
export const MAP_MIN = { width: 240, height: 160 };

export function parseSizes(saved: string | null | undefined): PaneSizes {
  if (!saved) return { ...DEFAULT_SIZES };
  try {
    const v = JSON.parse(saved) as Partial<Record<PaneName, unknown>>;
    const pick = (k: PaneName): number => (typeof v[k] === 'number' && Number.isFinite(v[k]) && (v[k] as number) >= 0 ? (v[k] as number) : DEFAULT_SIZES[k]);
    return { lesson: pick('lesson'), inspector: pick('inspector'), terminal: pick('terminal') };
  } catch {
    return { ...DEFAULT_SIZES };
  }
}

/** Sizes that fit a window of `width` x `height` (the space under the toolbar): each pane at least its minimum. */
export function clampSizes(s: PaneSizes, width: number, height: number): PaneSizes {
  const clamp = (v: number, lo: number, hi: number): number => Math.round(Math.max(lo, Math.min(hi, v)));
  const lesson = s.lesson === 0 ? 0 : clamp(s.lesson, MIN.lesson, Math.max(MIN.lesson, width - MIN.inspector - MAP_MIN.width));
  const inspector = clamp(s.inspector, MIN.inspector, Math.max(MIN.inspector, width - lesson - MAP_MIN.width));
  const terminal = clamp(s.terminal, MIN.terminal, Math.max(MIN.terminal, height - MAP_MIN.height));
  return { lesson, inspector, terminal };
}

/** A splitter dragged by `delta` px: the lesson and inspector splitters grow their pane rightwards/leftwards. */
export function dragged(s: PaneSizes, pane: PaneName, delta: number): PaneSizes {
  switch (pane) {
    case 'lesson':
      return { ...s, lesson: Math.max(MIN.lesson, s.lesson + delta) };
    case 'inspector':
      return { ...s, inspector: s.inspector - delta };
    case 'terminal':
      return { ...s, terminal: s.terminal - delta };
  }
}
