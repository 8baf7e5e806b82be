/** The pane sizes the learner set by dragging the splitters, remembered in localStorage across reloads. */
import { clampSizes, dragged, parseSizes, type PaneName, type PaneSizes } from '../layout/sizes.ts';

const STORAGE_KEY = 'kubelab.panes';

function load(): PaneSizes {
  try {
    return parseSizes(localStorage.getItem(STORAGE_KEY));
  } catch {
    return parseSizes(null);
  }
}

class PaneLayout {
  sizes = $state<PaneSizes>(load());
  /** The space the panes share (set by the app from its main area). */
  width = $state(1440);
  height = $state(850);
  /** The lesson column's width before it was folded, to unfold to. */
  private unfolded = 0;

  readonly shown = $derived(clampSizes(this.sizes, this.width, this.height));

  drag(pane: PaneName, delta: number): void {
    this.sizes = clampSizes(dragged(this.shown, pane, delta), this.width, this.height);
  }

  /** At the end of a drag: remembered. */
  save(): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.sizes));
    } catch {
      // storage may be unavailable
    }
  }

  toggleLesson(): void {
    if (this.sizes.lesson > 0) {
      this.unfolded = this.sizes.lesson;
      this.sizes = { ...this.sizes, lesson: 0 };
    } else {
      this.sizes = { ...this.sizes, lesson: this.unfolded || 360 };
    }
    this.save();
  }
}

export const panes = new PaneLayout();
