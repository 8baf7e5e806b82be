/**
 * Nesting depth of request bodies, measured before any parser or walker sees them. kube-apiserver's decoders stop
 * at 10,000 levels: Go's encoding/json scanner (maxNestingDepth, "exceeded max depth") and go-yaml's scanner
 * (max_flow_level / max_indents, "exceeded max depth of 10000"). Deeper bodies get their 400 here; shallower deep
 * ones are handed to parsers that cope (JSON.parse is iterative; YAML beyond a few hundred levels goes to a worker).
 */

export const MAX_DEPTH = 10_000;

export interface DepthOverflow {
  /** Offset of the bracket that went past the limit. */
  index: number;
  char: string;
  /** 0-based line of that bracket. */
  line: number;
}

/** The first `[` or `{` of JSON text nested deeper than `limit`, outside strings; undefined if none. */
export function jsonDepthOverflow(text: string, limit = MAX_DEPTH): DepthOverflow | undefined {
  let depth = 0;
  let line = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string: up to the next unescaped quote.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return { index: i, char: text[i], line };
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x0a) line++;
  }
  return undefined;
}

/** Deepest nesting of JSON text (strings skipped), for choosing a parser. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

export interface YamlDepth {
  depth: number;
  /** 0-based line where the deepest (or first too deep) level began. */
  line: number;
}

const BLOCK_SCALAR = /(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$/;

/**
 * An estimate of YAML nesting as go-yaml's scanner counts it: flow levels (`[`, `{` where a token starts, outside
 * quotes and comments) plus block levels (each deeper indentation of a mapping key or sequence entry, including
 * the compact `- - - x` form that nests a level every two bytes). Stops at `stopAt`.
 */
export function yamlDepth(text: string, stopAt = MAX_DEPTH + 1): YamlDepth {
  const lines = text.split('\n');
  const indents: number[] = [];
  let flow = 0;
  let best: YamlDepth = { depth: 0, line: 0 };
  let scalarIndent = -1;
  const note = (line: number) => {
    const d = flow + indents.length;
    if (d > best.depth) best = { depth: d, line };
    return d >= stopAt;
  };
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].replace(/\r$/, '');
    const indent = raw.length - raw.trimStart().length;
    const body = raw.trimStart();
    if (scalarIndent >= 0) {
      if (body === '' || indent > scalarIndent) continue;
      scalarIndent = -1;
    }
    if (body === '' || body.startsWith('#')) continue;
    if (flow === 0) {
      if (body.startsWith('---') || body.startsWith('...')) {
        indents.length = 0;
        continue;
      }
      while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
    }
    let i = indent;
    if (flow === 0) {
      // Compact sequence entries and explicit keys, each a level deeper.
      while ((raw[i] === '-' || raw[i] === '?') && (i + 1 >= raw.length || raw[i + 1] === ' ')) {
        if (!indents.length || indents[indents.length - 1] < i) indents.push(i);
        if (note(n)) return best;
        i += 1;
        while (raw[i] === ' ') i++;
      }
      if (/^[^[{"'#][^#]*?:(?:\s|$)/.test(raw.slice(i)) || /^["'][^"']*["']\s*:(?:\s|$)/.test(raw.slice(i))) {
        if (!indents.length || indents[indents.length - 1] < i) indents.push(i);
        if (note(n)) return best;
      }
      if (BLOCK_SCALAR.test(raw)) scalarIndent = indent;
    }
    // Flow collections on the rest of the line.
    let tokenStart = true;
    for (; i < raw.length; i++) {
      const c = raw[i];
      if (c === '"' || c === "'") {
        if (!tokenStart) continue;
        const close = c === '"' ? /(?<!\\)"/g : /'/g;
        close.lastIndex = i + 1;
        const m = close.exec(raw);
        i = m ? m.index : raw.length;
        tokenStart = false;
      } else if (c === '#' && (i === 0 || raw[i - 1] === ' ' || raw[i - 1] === '\t')) break;
      else if ((c === '[' || c === '{') && (tokenStart || flow > 0)) {
        flow++;
        if (note(n)) return best;
        tokenStart = true;
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        tokenStart = false;
      } else if (c === ',' || c === ' ' || c === '\t' || c === ':' || c === '-' || c === '?') tokenStart = true;
      else tokenStart = false;
    }
  }
  return best;
}
