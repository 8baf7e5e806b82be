/**
 * The map's view: a scale and an offset (screen = content * scale + offset). Fit shows all of the content centred in
 * the pane; the wheel zooms about the pointer; dragging pans. Pure, so Node tests run it.
 */
export interface View {
  scale: number;
  x: number;
  y: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 3;
const FIT_PADDING = 8;

const clampZoom = (s: number): number => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, s));

/** All of a `width` x `height` content in a `paneWidth` x `paneHeight` pane, never above 1:1, centred. */
export function fitView(width: number, height: number, paneWidth: number, paneHeight: number): View {
  if (width <= 0 || height <= 0 || paneWidth <= 0 || paneHeight <= 0) return { scale: 1, x: 0, y: 0 };
  const scale = clampZoom(Math.min(1, (paneWidth - 2 * FIT_PADDING) / width, (paneHeight - 2 * FIT_PADDING) / height));
  return { scale, x: Math.round((paneWidth - width * scale) / 2), y: Math.max(FIT_PADDING, Math.round((paneHeight - height * scale) / 2)) };
}

/** Zoomed by `factor` keeping the content point under (`px`, `py`) (pane coordinates) where it is. */
export function zoomAt(v: View, factor: number, px: number, py: number): View {
  const scale = clampZoom(v.scale * factor);
  const k = scale / v.scale;
  return { scale, x: px - (px - v.x) * k, y: py - (py - v.y) * k };
}

export function panBy(v: View, dx: number, dy: number): View {
  return { ...v, x: v.x + dx, y: v.y + dy };
}

/** The wheel's notches as a zoom factor (a trackpad's small deltas zoom a little). */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-Math.max(-300, Math.min(300, deltaY)) * 0.0015);
}
