/**
 * The project's import graph, type-only imports included (eslint's import-x/no-cycle skips those): every relative
 * `import … from` / `export … from` / `import('…')` edge between .ts files under the given roots.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SPEC = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

export function importGraph(root: string, dirs: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const dir of dirs) {
    for (const f of readdirSync(join(root, dir), { recursive: true }).map(String)) {
      if (!f.endsWith('.ts') || f.endsWith('.d.ts')) continue;
      const file = join(root, dir, f);
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      const deps = [...text.matchAll(SPEC)].map((m) => relative(root, resolve(dirname(file), m[1] ?? m[2]!))).filter((d) => d.endsWith('.ts'));
      graph.set(relative(root, file), [...new Set(deps)]);
    }
  }
  return graph;
}

/** Every elementary cycle found by a depth-first walk, each once, as its list of files. */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === 'open') {
        const cycle = stack.slice(stack.indexOf(d));
        found.set([...cycle].sort().join(' '), cycle);
      } else if (!state.has(d)) walk(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) walk(n);
  return [...found.values()];
}
