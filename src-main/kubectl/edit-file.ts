/**
 * The file `kubectl edit` hands to the editor (editoptions.go): the header with the reasons to edit again, comment
 * stripping as cmdutil.StripComments/ManualStrip, the client-side check of the edited bytes, the editor's command line.
 */
import { parseAllDocuments } from 'yaml';
import { goJSON } from './apply/three-way.ts';

export interface EditReason {
  head: string;
  other: string[];
}

/** editHeader.writeTo for the normal edit mode. */
export function editHeader(reasons: EditReason[]): string {
  let out = `# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n`;
  for (const r of reasons) {
    out += r.other.length ? `# ${hashOnLineBreak(r.head)}:\n` : `# ${hashOnLineBreak(r.head)}\n`;
    for (const o of r.other) out += `# * ${hashOnLineBreak(o)}\n`;
    out += '#\n';
  }
  return out;
}

function hashOnLineBreak(s: string): string {
  return s.replace(/\n(?!#)/g, '\n# ');
}

/** Lines starting with `#` (after blanks) go, `#!` lines stay. */
export function manualStrip(text: string): string {
  return text.split('\n').filter((l) => !(l.trim().startsWith('#') && !l.trim().startsWith('#!'))).join('\n');
}

/** YAML to (sorted, compact) JSON, which drops comments; the manual strip when it is not valid YAML. */
export function stripComments(text: string): string {
  try {
    return goJSON(parseDocuments(text)[0] ?? null);
  } catch {
    return manualStrip(text);
  }
}

/** hasLines: any line that is neither blank nor a comment. */
export function hasLines(text: string): boolean {
  return text.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

export class YamlSyntaxError extends Error {}

/** The documents of the edited file, with go-yaml's `yaml: line N: ...` on a syntax error. */
export function parseDocuments(text: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    const e = doc.errors[0];
    if (e) throw new YamlSyntaxError(`yaml: line ${e.linePos?.[0]?.line ?? 1}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '')}`);
    const v = doc.toJS() as unknown;
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

/** The validator's ValidateBytes on the stripped file: an error message, or undefined when it is fine. */
export function validateBytes(stripped: string): string | undefined {
  let docs: unknown[];
  try {
    docs = parseDocuments(stripped);
  } catch (e) {
    return (e as Error).message;
  }
  const obj = docs[0];
  if (obj === undefined || typeof obj !== 'object' || Array.isArray(obj)) return 'invalid object to validate';
  return undefined;
}

/** editor.go defaultEnvEditor: $KUBE_EDITOR, $EDITOR, vi; with quotes or backslashes, through `$SHELL -c`. */
export function editorCommand(env: Record<string, string | undefined>): { args: string[]; shell: boolean } {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (!editor.includes(' ')) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(' '), shell: false };
  return { args: [env.SHELL || '/bin/bash', '-c', editor], shell: true };
}

/** Editor.args: the file is one more argument, or quoted onto the shell's command line. */
export function editorArgv(cmd: { args: string[]; shell: boolean }, path: string): string[] {
  if (!cmd.shell) return [...cmd.args, path];
  return [...cmd.args.slice(0, -1), `${cmd.args.at(-1)} ${JSON.stringify(path)}`];
}
