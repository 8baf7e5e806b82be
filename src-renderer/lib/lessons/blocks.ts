/**
 * A lesson page's code elements and their Killercoda actions: the engine lists the page's fenced blocks (all of
 * them) and its marked inline code (`{{exec}}`, `{{copy}}`) in order; the rendered page has a <code> for each of
 * those and for every unmarked inline span too. Pure, so Node tests run it.
 */
import type { CodeBlock } from '../../../src-main/contract/lessons.ts';

export interface RenderedCode {
  /** Inside a <pre> (a block), or inline. */
  pre: boolean;
  text: string;
}

const same = (a: string, b: string): boolean => a.replace(/\n+$/, '') === b.replace(/\n+$/, '');

/** For each rendered <code>, in document order, the block it shows, or null (plain code). */
export function assignBlocks(codes: RenderedCode[], blocks: CodeBlock[]): Array<CodeBlock | null> {
  const fenced = blocks.filter((b) => b.kind === 'block');
  const inline = blocks.filter((b) => b.kind === 'inline');
  let f = 0;
  let i = 0;
  return codes.map((c) => {
    if (c.pre) {
      const b = fenced[f];
      if (b && same(b.code, c.text)) {
        f++;
        return b.action === 'none' ? null : b;
      }
      return null;
    }
    const b = inline[i];
    if (b && same(b.code, c.text)) {
      i++;
      return b;
    }
    return null;
  });
}

/**
 * What a click on an {{exec}} block types into the terminal, in chunks sent one after another: each line then
 * Enter, after a Ctrl-C of its own for `interrupt` (a terminal drops what was typed ahead when Ctrl-C stops a
 * program, so the code goes once the program is gone).
 */
export function execInput(block: Pick<CodeBlock, 'code' | 'interrupt'>): string[] {
  const lines = block.code.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  return [...(block.interrupt ? ['\x03'] : []), `${lines.replace(/\n/g, '\r')}\r`];
}
