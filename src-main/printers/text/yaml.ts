/**
 * `-o yaml` as kubectl prints it: sigs.k8s.io/yaml (JSON → go-yaml v2). Map keys sorted the go-yaml way, 2-space
 * indent, sequences not indented under their key, `{}` / `[]` for empty collections, go-yaml's quoting rules.
 */
import { scalarStyle, writeFlowScalar, writeLiteral } from './yaml-scalar.ts';

/** go-yaml v2 keyList.Less for string keys: runs of digits compare as numbers, non-letters sort before letters. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

function sortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
}

function isCollection(v: unknown): v is Record<string, unknown> | unknown[] {
  return v !== null && typeof v === 'object';
}

function isEmptyCollection(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return isCollection(v) && Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).length === 0;
}

function number(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Number.isInteger(n)) return String(n);
  // strconv.FormatFloat(f, 'g', -1, 64)
  const abs = Math.abs(n);
  if (abs < 1e-4 || abs >= 1e21) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}

/** A scalar written after `column` characters, continuing lines (folds, literal bodies) at `indent`. */
function scalar(v: unknown, column: number, indent: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return number(v);
  const s = String(v);
  const style = scalarStyle(s, false);
  if (style === 'literal') return writeLiteral(s, indent);
  return writeFlowScalar(s, style, column, indent, true);
}

function key(k: string): string {
  const style = scalarStyle(k, true);
  return writeFlowScalar(k, style === 'literal' ? 'double' : style, 0, 0, false);
}

function emitMapping(obj: Record<string, unknown>, indent: number, firstInline: boolean): string {
  const pad = ' '.repeat(indent);
  let out = '';
  let first = true;
  for (const k of sortKeys(Object.keys(obj).filter((x) => obj[x] !== undefined))) {
    const v = obj[k];
    const inline = first && firstInline;
    const prefix = (inline ? '' : pad) + key(k) + ':';
    first = false;
    out += prefix;
    if (isCollection(v) && !isEmptyCollection(v)) {
      out += '\n';
      out += Array.isArray(v) ? emitSequence(v, indent) : emitMapping(v as Record<string, unknown>, indent + 2, false);
    } else if (isCollection(v)) {
      out += Array.isArray(v) ? ' []\n' : ' {}\n';
    } else {
      const startCol = (inline ? indent : 0) + prefix.length + 1;
      out += ' ' + scalar(v, startCol, indent + 2) + '\n';
    }
  }
  return out;
}

function emitSequence(list: unknown[], indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const item of list) {
    out += pad + '-';
    if (isCollection(item) && !isEmptyCollection(item)) {
      if (Array.isArray(item)) out += ' ' + emitSequence(item, indent + 2).slice(indent + 2);
      else out += ' ' + emitMapping(item as Record<string, unknown>, indent + 2, true);
    } else if (isCollection(item)) {
      out += Array.isArray(item) ? ' []\n' : ' {}\n';
    } else {
      out += ' ' + scalar(item, indent + 2, indent + 2) + '\n';
    }
  }
  return out;
}

/** yaml.Marshal of a JSON-shaped value (what kubectl's YAMLPrinter writes for one object). */
export function toGoYAML(value: unknown): string {
  if (Array.isArray(value)) return isEmptyCollection(value) ? '[]\n' : emitSequence(value, 0);
  if (isCollection(value)) return isEmptyCollection(value) ? '{}\n' : emitMapping(value as Record<string, unknown>, 0, false);
  return scalar(value, 0, 0) + '\n';
}

/**
 * kubectl's YAMLPrinter: one document per PrintObj; from the second object on it writes `---` first
 * (kubectl get -o yaml prints one List, so there is no separator).
 */
export function printYAML(objects: unknown[]): string {
  return objects.map((o, i) => (i > 0 ? '---\n' : '') + toGoYAML(o)).join('');
}
