/** The open terminal tabs. Anything may open one (the pane's buttons, the inspector's "Open shell"). */
import type { ObjectRef, TerminalKind } from '../../../src-main/contract/contract.ts';

export interface TerminalTab {
  key: number;
  kind: TerminalKind;
  node?: string;
  pod?: ObjectRef;
  title: string;
  id: string | null;
  exitCode: number | null;
}

class TerminalTabs {
  tabs = $state<TerminalTab[]>([]);
  active = $state<number | null>(null);
  private nextKey = 1;

  open(spec: { kind: TerminalKind; node?: string; pod?: ObjectRef }, title: string): void {
    const tab: TerminalTab = { key: this.nextKey++, ...spec, title, id: null, exitCode: null };
    this.tabs = [...this.tabs, tab];
    this.active = tab.key;
  }

  update(key: number, change: Partial<TerminalTab>): void {
    this.tabs = this.tabs.map((tab) => (tab.key === key ? { ...tab, ...change } : tab));
  }

  remove(key: number): void {
    const index = this.tabs.findIndex((tab) => tab.key === key);
    this.tabs = this.tabs.filter((tab) => tab.key !== key);
    if (this.active === key) this.active = this.tabs[Math.max(0, index - 1)]?.key ?? null;
  }
}

export const terminals = new TerminalTabs();
