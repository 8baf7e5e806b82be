/**
 * Killercoda's Markdown actions: a code block or inline code followed by `{{exec}}` runs in the terminal when
 * clicked, `{{exec interrupt}}` sends Ctrl-C first, `{{copy}}` copies it, `{{}}` is plain code (Katacoda's
 * `{{execute}}` / `{{execute interrupt}}` / `{{execute T2}}` are read as exec). The markers are not CommonMark (a
 * closing fence with text after it does not close), so the text goes out with them removed and the actions beside.
 */

import type { CodeAction, CodeBlock } from '../contract/lessons.ts';

export type { CodeAction, CodeBlock };

export interface ParsedMarkdown {
  /** CommonMark: the page with the action markers removed. */
  markdown: string;
  blocks: CodeBlock[];
}

function actionOf(marker: string | undefined): { action: CodeAction; interrupt: boolean } {
  if (marker === undefined) return { action: 'none', interrupt: false };
  const words = marker.trim().split(/\s+/).filter(Boolean);
  const verb = words[0];
  if (verb === 'exec' || verb === 'execute') return { action: 'exec', interrupt: words.includes('interrupt') };
  if (verb === 'copy') return { action: 'copy', interrupt: false };
  return { action: 'none', interrupt: false };
}

const OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*([^`]*?)[ \t]*$/;
const INLINE = /(`+)(?!`)([\s\S]*?[^`])\1(?!`)(\{\{([^}]*)\}\})?/g;

export function parseMarkdown(source: string): ParsedMarkdown {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  const blocks: CodeBlock[] = [];
  let prose: string[] = [];
  const flushProse = () => {
    if (!prose.length) return;
    out.push(inlineActions(prose.join('\n'), blocks));
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open || (open[2]![0] === '`' && open[3]!.includes('`'))) {
      prose.push(lines[i]!);
      continue;
    }
    flushProse();
    const [, indent, fence, info] = open;
    const close = new RegExp(`^ {0,3}${fence![0] === '`' ? '`' : '~'}{${fence!.length},}[ \\t]*(\\{\\{([^}]*)\\}\\})?[ \\t]*$`);
    const body: string[] = [];
    let marker: string | undefined;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const m = close.exec(lines[j]!);
      if (m) {
        marker = m[2];
        break;
      }
      body.push(indent ? lines[j]!.replace(new RegExp(`^ {0,${indent.length}}`), '') : lines[j]!);
    }
    const { action, interrupt } = actionOf(marker);
    blocks.push({ index: blocks.length, kind: 'block', lang: info || null, code: body.join('\n'), action, interrupt });
    out.push(lines[i]!, ...lines.slice(i + 1, j), `${indent}${fence}`);
    i = j;
  }
  flushProse();
  return { markdown: out.join('\n'), blocks };
}

/** Marked inline code spans become plain ones; each marked span is listed (unmarked ones are plain prose). */
function inlineActions(text: string, blocks: CodeBlock[]): string {
  return text.replace(INLINE, (all, ticks: string, code: string, marked: string | undefined, marker: string | undefined) => {
    if (marked === undefined) return all;
    const { action, interrupt } = actionOf(marker);
    // CommonMark strips one leading and trailing space when both are there (`` ` a ` ``).
    const shown = /^ .* $/s.test(code) && code.trim() ? code.slice(1, -1) : code;
    if (action !== 'none') blocks.push({ index: blocks.length, kind: 'inline', lang: null, code: shown, action, interrupt });
    return `${ticks}${code}${ticks}`;
  });
}
