/**
 * FieldsV1 sets as structured-merge-diff reads them: a path is a list of elements (`f:name`, `k:{"name":"web"}`,
 * `v:"x"`, `i:0`); a node is a member when it has no children or carries `.`. Paths print like fieldpath.Path.
 */
type Obj = Record<string, unknown>;
export type Fields = Record<string, unknown>;
export type FieldPath = string[];

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** PathElement order: field names, then keys, values, indexes; each by its text. */
export function compareElements(a: string, b: string): number {
  const ra = RANK[a[0]] ?? 9;
  const rb = RANK[b[0]] ?? 9;
  if (ra !== rb) return ra - rb;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

function childKeys(node: unknown): string[] {
  return isObj(node) ? Object.keys(node).filter((k) => k !== '.').sort(compareElements) : [];
}

function isMember(node: unknown): boolean {
  return !isObj(node) || '.' in node || childKeys(node).length === 0;
}

/** The member paths of a set in fieldpath.Set.Iterate order: a level's members first, then its children's. */
export function memberPaths(fields: Fields, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [];
  const keys = childKeys(fields);
  for (const k of keys) if (isMember(fields[k])) out.push([...prefix, k]);
  for (const k of keys) if (childKeys(fields[k]).length) out.push(...memberPaths(fields[k] as Fields, [...prefix, k]));
  return out;
}

/** Builds the FieldsV1 form of a list of member paths, with keys in set order. */
export function fieldsFromPaths(paths: FieldPath[]): Fields {
  interface Node {
    member: boolean;
    children: Map<string, Node>;
  }
  const root: Node = { member: false, children: new Map() };
  for (const path of paths) {
    let cur = root;
    for (const el of path) {
      let next = cur.children.get(el);
      if (!next) cur.children.set(el, (next = { member: false, children: new Map() }));
      cur = next;
    }
    cur.member = true;
  }
  const render = (n: Node): Fields => {
    const out: Fields = {};
    if (n.member && n.children.size) out['.'] = {};
    for (const k of [...n.children.keys()].sort(compareElements)) out[k] = render(n.children.get(k)!);
    return out;
  };
  return render(root);
}

export const pathId = (p: FieldPath): string => p.join('\u0000');

export function subtractPaths(fields: Fields, drop: Set<string>): Fields {
  return fieldsFromPaths(memberPaths(fields).filter((p) => !drop.has(pathId(p))));
}

export function unionFields(a: Fields, b: Fields): Fields {
  const seen = new Set<string>();
  const all: FieldPath[] = [];
  for (const p of [...memberPaths(a), ...memberPaths(b)]) {
    if (seen.has(pathId(p))) continue;
    seen.add(pathId(p));
    all.push(p);
  }
  return fieldsFromPaths(all);
}

function keyMatches(item: unknown, key: Obj): boolean {
  return isObj(item) && Object.entries(key).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v));
}

/** The value a path names inside an object, or undefined when the object lacks it. */
export function valueAt(root: unknown, path: FieldPath): unknown {
  let cur: unknown = root;
  for (const el of path) {
    const kind = el[0];
    const rest = el.slice(2);
    if (kind === 'f') cur = isObj(cur) ? cur[rest] : undefined;
    else if (!Array.isArray(cur)) return undefined;
    else if (kind === 'k') cur = cur.find((item) => keyMatches(item, JSON.parse(rest) as Obj));
    else if (kind === 'v') cur = cur.find((item) => JSON.stringify(item) === rest);
    else cur = cur[Number(rest)];
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** fieldpath.Path.String(): `.spec.containers[name="web"].image`, `[=value]`, `[0]`. */
export function pathString(path: FieldPath): string {
  return path
    .map((el) => {
      const rest = el.slice(2);
      if (el[0] === 'f') return `.${rest}`;
      if (el[0] === 'v') return `[=${rest}]`;
      if (el[0] === 'i') return `[${rest}]`;
      const key = JSON.parse(rest) as Obj;
      return `[${Object.keys(key)
        .sort()
        .map((k) => `${k}=${JSON.stringify(key[k])}`)
        .join(',')}]`;
    })
    .join('');
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * How a write changed one path (typed.Comparison): 'added' when it appeared, 'modified' when a leaf's value changed
 * (a granular node with its own children changes only through them), 'removed' when it disappeared.
 */
export function changeAt(before: unknown, after: unknown, path: FieldPath, granular: boolean): 'added' | 'modified' | 'removed' | undefined {
  const a = valueAt(before, path);
  const b = valueAt(after, path);
  if (b === undefined) return a === undefined ? undefined : 'removed';
  if (a === undefined) return 'added';
  if (granular) return undefined;
  return deepEqual(a, b) ? undefined : 'modified';
}

/** Whether a member path of a set is a node whose children the set tracks separately (`.` with children). */
export function isGranularMember(fields: Fields, path: FieldPath): boolean {
  let cur: unknown = fields;
  for (const el of path) cur = isObj(cur) ? cur[el] : undefined;
  return childKeys(cur).length > 0;
}

/** Removes the field or list item a path names (typed.RemoveItems for one path). */
export function deleteAt(root: unknown, path: FieldPath): void {
  const parent = valueAt(root, path.slice(0, -1));
  const el = path[path.length - 1];
  const rest = el.slice(2);
  if (el[0] === 'f') {
    if (isObj(parent)) delete parent[rest];
    return;
  }
  if (!Array.isArray(parent)) return;
  const index =
    el[0] === 'k' ? parent.findIndex((item) => keyMatches(item, JSON.parse(rest) as Obj)) : el[0] === 'v' ? parent.findIndex((item) => JSON.stringify(item) === rest) : Number(rest);
  if (index >= 0 && index < parent.length) parent.splice(index, 1);
}

/** Whether a set reaches a path (as a member or a node above members). */
export function setHas(fields: unknown, path: FieldPath): boolean {
  let cur: unknown = fields;
  for (const el of path) {
    if (!isObj(cur) || !(el in cur)) return false;
    cur = cur[el];
  }
  return true;
}
