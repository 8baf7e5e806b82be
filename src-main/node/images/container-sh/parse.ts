/**
 * A small POSIX-sh subset for busybox-style images: words with quotes, `;` `&&` `||` `|` `&`, newlines,
 * `>`/`>>` redirection, `while`/`until`/`for`/`if` compound commands. Words keep their raw text; expansion
 * happens when a command runs (see expand.ts), so loops see the current variables.
 */
export interface SimpleCommand {
  kind: 'simple';
  words: string[];
  redirect?: { file: string; append: boolean };
  mergeStderr?: boolean;
  discardStderr?: boolean;
}
export interface WhileCommand { kind: 'while'; until: boolean; cond: List; body: List }
export interface ForCommand { kind: 'for'; name: string; items: string[]; body: List }
export interface IfCommand { kind: 'if'; branches: Array<{ cond: List; body: List }>; otherwise?: List }
export type Command = SimpleCommand | WhileCommand | ForCommand | IfCommand;
export interface Pipeline { commands: Command[]; negate: boolean }
/** Pipelines joined by && / || (op applies before the pipeline it is on). */
export interface AndOr { items: Array<{ op: '&&' | '||' | null; pipeline: Pipeline }> }
export type List = AndOr[];

export class ShellSyntaxError extends Error {}

type Token = { op: string } | { word: string };

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '\\' && src[i + 1] === '\n') { i += 2; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '\n' || c === ';') { out.push({ op: ';' }); i++; continue; }
    const two = src.slice(i, i + 2);
    if (src.slice(i, i + 4) === '2>&1') { out.push({ op: '2>&1' }); i += 4; continue; }
    if (two === '2>') { out.push({ op: '2>' }); i += 2; continue; }
    if (two === '&&' || two === '||' || two === '>>') { out.push({ op: two }); i += 2; continue; }
    if (c === '|' || c === '&' || c === '>' || c === '<') { out.push({ op: c }); i++; continue; }
    let word = '';
    while (i < src.length && !' \t\n;&|<>'.includes(src[i])) {
      const ch = src[i];
      if (ch === "'") {
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
        word += src.slice(i, end + 1); i = end + 1;
      } else if (ch === '"') {
        let j = i + 1;
        while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
        if (j >= src.length) throw new ShellSyntaxError('unterminated quoted string');
        word += src.slice(i, j + 1); i = j + 1;
      } else if (ch === '$' && src[i + 1] === '(') {
        let depth = 0, j = i + 1;
        for (; j < src.length; j++) {
          if (src[j] === '(') depth++;
          else if (src[j] === ')' && --depth === 0) break;
        }
        word += src.slice(i, j + 1); i = j + 1;
      } else if (ch === '\\' && i + 1 < src.length) {
        word += src.slice(i, i + 2); i += 2;
      } else { word += ch; i++; }
    }
    out.push({ word });
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined { return this.tokens[this.pos]; }
  private isWord(w: string): boolean { const t = this.peek(); return !!t && 'word' in t && t.word === w; }
  private isOp(o: string): boolean { const t = this.peek(); return !!t && 'op' in t && t.op === o; }
  private skipSeparators(): void { while (this.isOp(';') || this.isOp('&')) this.pos++; }
  private expectWord(w: string): void {
    this.skipSeparators();
    if (!this.isWord(w)) throw new ShellSyntaxError(`syntax error: unexpected ${this.describe()} (expecting "${w}")`);
    this.pos++;
  }
  private describe(): string {
    const t = this.peek();
    if (!t) return 'end of file';
    return 'op' in t ? `"${t.op}"` : `word "${t.word}"`;
  }

  parseList(terminators: string[]): List {
    const list: List = [];
    for (;;) {
      this.skipSeparators();
      const t = this.peek();
      if (!t || ('word' in t && terminators.includes(t.word))) return list;
      list.push(this.parseAndOr());
    }
  }

  private parseAndOr(): AndOr {
    const items: AndOr['items'] = [{ op: null, pipeline: this.parsePipeline() }];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.tokens[this.pos++] as { op: '&&' | '||' }).op;
      while (this.isOp(';')) this.pos++;
      items.push({ op, pipeline: this.parsePipeline() });
    }
    return { items };
  }

  private parsePipeline(): Pipeline {
    let negate = false;
    if (this.isWord('!')) { negate = true; this.pos++; }
    const commands = [this.parseCommand()];
    while (this.isOp('|')) { this.pos++; commands.push(this.parseCommand()); }
    return { commands, negate };
  }

  private parseCommand(): Command {
    if (this.isWord('while') || this.isWord('until')) {
      const until = this.isWord('until');
      this.pos++;
      const cond = this.parseList(['do']);
      this.expectWord('do');
      const body = this.parseList(['done']);
      this.expectWord('done');
      return { kind: 'while', until, cond, body };
    }
    if (this.isWord('for')) {
      this.pos++;
      const nameTok = this.tokens[this.pos++];
      if (!nameTok || !('word' in nameTok)) throw new ShellSyntaxError('syntax error: bad for loop variable');
      const items: string[] = [];
      if (this.isWord('in')) {
        this.pos++;
        while (this.peek() && 'word' in this.peek()!) items.push((this.tokens[this.pos++] as { word: string }).word);
      }
      this.expectWord('do');
      const body = this.parseList(['done']);
      this.expectWord('done');
      return { kind: 'for', name: nameTok.word, items, body };
    }
    if (this.isWord('if')) {
      this.pos++;
      const branches: IfCommand['branches'] = [];
      let otherwise: List | undefined;
      const cond = this.parseList(['then']);
      this.expectWord('then');
      branches.push({ cond, body: this.parseList(['elif', 'else', 'fi']) });
      for (;;) {
        this.skipSeparators();
        if (this.isWord('elif')) {
          this.pos++;
          const c = this.parseList(['then']);
          this.expectWord('then');
          branches.push({ cond: c, body: this.parseList(['elif', 'else', 'fi']) });
        } else if (this.isWord('else')) {
          this.pos++;
          otherwise = this.parseList(['fi']);
        } else break;
      }
      this.expectWord('fi');
      return { kind: 'if', branches, otherwise };
    }
    const cmd: SimpleCommand = { kind: 'simple', words: [] };
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if ('word' in t) { cmd.words.push(t.word); this.pos++; continue; }
      if (t.op === '>' || t.op === '>>' || t.op === '2>') {
        this.pos++;
        const f = this.tokens[this.pos++];
        if (!f || !('word' in f)) throw new ShellSyntaxError(`syntax error: unexpected ${this.describe()}`);
        if (t.op === '2>') cmd.discardStderr = true;
        else cmd.redirect = { file: f.word, append: t.op === '>>' };
        continue;
      }
      if (t.op === '2>&1') { cmd.mergeStderr = true; this.pos++; continue; }
      break;
    }
    if (cmd.words.length === 0) throw new ShellSyntaxError(`syntax error: unexpected ${this.describe()}`);
    return cmd;
  }

  done(): boolean { return this.pos >= this.tokens.length; }
  rest(): string { return this.describe(); }
}

export function parseScript(src: string): List {
  const p = new Parser(tokenize(src));
  const list = p.parseList([]);
  if (!p.done()) throw new ShellSyntaxError(`syntax error: unexpected ${p.rest()}`);
  return list;
}
