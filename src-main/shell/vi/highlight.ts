/**
 * YAML colours as vim's yaml syntax shows them with the default colour scheme: keys cyan, their colon magenta,
 * list dashes brown, numbers, quoted strings and true/false/null red, comments blue. One SGR per character index.
 */

const KEY = '\x1b[36m';
const COLON = '\x1b[35m';
const DASH = '\x1b[38;5;130m';
const CONSTANT = '\x1b[31m';
const COMMENT = '\x1b[34m';

const CONSTANT_VALUE = /^(-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|"([^"\\]|\\.)*"|'([^']|'')*'|true|false|True|False|TRUE|FALSE|null|Null|NULL|~)$/;

export function isYamlFile(name: string | undefined): boolean {
  return name !== undefined && /\.ya?ml$/i.test(name);
}

export function highlightYaml(line: string): string[] {
  const styles = Array<string>(line.length).fill('');
  const paint = (from: number, to: number, style: string) => styles.fill(style, from, to);
  let i = /^\s*/.exec(line)![0].length;
  if (line[i] === '#') {
    paint(i, line.length, COMMENT);
    return styles;
  }
  for (let dash = /^-( +|$)/.exec(line.slice(i)); dash; dash = /^-( +|$)/.exec(line.slice(i))) {
    paint(i, i + dash[0].length, DASH);
    i += dash[0].length;
  }
  const key = /^("([^"\\]|\\.)*"|'([^']|'')*'|[^\s#'"\-[{][^#]*?|-[^\s#][^#]*?)(:)(?= |$)/.exec(line.slice(i));
  if (key) {
    paint(i, i + key[0].length - 1, KEY);
    paint(i + key[0].length - 1, i + key[0].length, COLON);
    i += key[0].length;
    i += /^ */.exec(line.slice(i))![0].length;
  }
  const comment = /(^|\s+)#.*$/.exec(line.slice(i));
  const end = comment ? i + comment.index : line.length;
  if (CONSTANT_VALUE.test(line.slice(i, end).trimEnd())) paint(i, i + line.slice(i, end).trimEnd().length, CONSTANT);
  if (comment) paint(end, line.length, COMMENT);
  return styles;
}
