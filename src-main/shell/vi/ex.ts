/** The `:` commands vi users need: write, quit and their combinations, a line number, `:set` for nothing. */
import type { ViState } from './state.ts';
import { firstNonBlank } from './text.ts';

export function runEx(s: ViState, input: string): void {
  const line = input.replace(/^[\s:]+/, '').trimEnd();
  if (line === '') return;
  const address = /^(\d+|\$)$/.exec(line);
  if (address) {
    const row = address[1] === '$' ? s.lines.length - 1 : Math.max(0, Math.min(s.lines.length - 1, Number(address[1]) - 1));
    s.setCursor(row, firstNonBlank(s.lines[row]!));
    return;
  }
  const m = /^([a-zA-Z]+)(!?)\s*(.*)$/.exec(line);
  if (!m) return s.error(`E492: Not an editor command: ${line}`);
  const [, cmd, bang, arg] = m as unknown as [string, string, string, string];
  const force = bang === '!';
  const file = arg.trim() || undefined;
  switch (cmd) {
    case 'w': case 'write':
      s.write(file);
      return;
    case 'q': case 'quit': case 'qa': case 'qall': case 'quita': case 'quitall':
      return quit(s, force);
    case 'wq': case 'wqa': case 'wqall': case 'xa': case 'xall':
      if (s.write(file)) s.exitStatus = 0;
      return;
    case 'x': case 'xit': case 'exi': case 'exit':
      if (!s.modified && !file) s.exitStatus = 0;
      else if (s.write(file)) s.exitStatus = 0;
      return;
    case 'cq': case 'cquit':
      s.exitStatus = 1;
      return;
    case 'set': case 'se':
      for (const option of (file ?? '').split(/\s+/).filter(Boolean)) if (!setOption(s, option)) return s.error(`E518: Unknown option: ${option}`);
      return;
  }
  s.error(`E492: Not an editor command: ${line}`);
}

export function quit(s: ViState, force: boolean): void {
  if (s.modified && !force) return s.error('E37: No write since last change (add ! to override)');
  s.exitStatus = 0;
}

/** Options accepted without effect: vi users type them by habit. */
const IGNORED = new Set(['paste', 'ai', 'autoindent', 'hls', 'hlsearch', 'list', 'ruler', 'ru', 'showmode', 'smd', 'expandtab', 'et']);

function setOption(s: ViState, option: string): boolean {
  const m = /^(no|inv)?(.+?)(!)?$/.exec(option)!;
  const name = m[2]!;
  if (name === 'nu' || name === 'number') {
    s.number = m[1] === 'inv' || m[3] ? !s.number : m[1] !== 'no';
    return true;
  }
  return IGNORED.has(name) || /^(ts|tabstop|sw|shiftwidth|sts|softtabstop)=\d+$/.test(name);
}
