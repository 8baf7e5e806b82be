/** Raw terminal input (what xterm sends) split into vi key names: `a`, `<Esc>`, `<CR>`, `<Up>`, `<C-r>`... */

const CSI: Record<string, string> = {
  A: '<Up>', B: '<Down>', C: '<Right>', D: '<Left>', H: '<Home>', F: '<End>',
  '1~': '<Home>', '7~': '<Home>', '4~': '<End>', '8~': '<End>', '2~': '<Insert>', '3~': '<Del>', '5~': '<PageUp>', '6~': '<PageDown>',
};

const CONTROL: Record<string, string> = { '\r': '<CR>', '\n': '<CR>', '\t': '<Tab>', '\x7f': '<BS>', '\b': '<BS>', '\x1b': '<Esc>' };

export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === '\x1b' && data[i + 1] === '[') {
      // CSI: parameters then one final byte; modifiers (`1;5A`) are dropped.
      const m = /^\x1b\[([0-9;]*)([A-Za-z~])/.exec(data.slice(i));
      if (m) {
        const params = m[1]!.split(';')[0]!;
        keys.push(CSI[m[2] === '~' ? `${params}~` : m[2]!] ?? '<Nop>');
        i += m[0].length - 1;
        continue;
      }
    }
    if (c === '\x1b' && data[i + 1] === 'O' && /[A-DHF]/.test(data[i + 2] ?? '')) {
      keys.push(CSI[data[i + 2]!]!);
      i += 2;
      continue;
    }
    if (CONTROL[c]) keys.push(CONTROL[c]!);
    else if (c < ' ') keys.push(`<C-${String.fromCharCode(c.charCodeAt(0) + 96)}>`);
    else if (c >= '\ud800' && c < '\udc00' && i + 1 < data.length) keys.push(c + data[++i]!);
    else keys.push(c);
  }
  return keys;
}
