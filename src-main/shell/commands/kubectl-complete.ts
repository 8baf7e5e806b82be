/**
 * Tab completion for kubectl, as `source <(kubectl completion bash)` gives it: commands and subcommands from the real
 * help texts, `--flags` (cobra offers them only once a word starts with `-`), resource types for get/describe/delete...
 * (`kubectl api-resources -o name --verbs=get`: `pods`, `deployments.apps`), object names from the cluster in the
 * namespace the line names, and the values of -n and -o. Anything else (a file after -f) is left to path completion.
 */
import { RESOURCES, lookupResource, qualifiedResource, type ResourceInfo } from '../../api/resources.ts';
import type { Cluster } from '../../cluster/cluster.ts';
import { HELP_TEXTS } from '../../kubectl/help/help-texts.ts';
import type { ArgCompleter } from '../../userland/command.ts';

interface FlagSpec { long: string; short?: string; bool: boolean }

/** Commands that complete `TYPE NAME...` or `TYPE/NAME` (kubectl's ResourceTypeAndNameCompletionFunc). */
const TYPE_AND_NAME = new Set(['get', 'describe', 'delete', 'edit', 'label', 'annotate', 'patch']);
/** Commands whose first argument is a pod name. */
const POD_NAME = new Set(['logs', 'exec', 'attach', 'port-forward']);
/** SpecifiedResourceTypeAndNameCompletionFunc's allowed types. */
const ALLOWED_TYPES: Record<string, string[]> = {
  scale: ['deployment', 'replicaset', 'replicationcontroller', 'statefulset'],
  expose: ['deployment', 'pod', 'replicaset', 'replicationcontroller', 'service'],
  'rollout status': ['daemonset', 'deployment', 'statefulset'],
  'rollout history': ['daemonset', 'deployment', 'statefulset'],
  'rollout undo': ['daemonset', 'deployment', 'statefulset'],
  'rollout restart': ['daemonset', 'deployment', 'statefulset'],
};
const NODE_NAME = new Set(['cordon', 'uncordon', 'drain']);
const OUTPUT_FORMATS = ['custom-columns', 'custom-columns-file', 'go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'wide', 'yaml'];

/** The command names a help text lists under its "... Commands:" headings. */
function subcommands(path: string): string[] {
  const names: string[] = [];
  let inList = false;
  for (const line of (HELP_TEXTS[path] ?? '').split('\n')) {
    if (/^[A-Z][\w ()]*Commands[\w ()]*:$/.test(line)) inList = true;
    else if (line.trim() === '') inList = false;
    else if (inList) {
      const m = /^ {2}([a-z][\w-]*) {2,}/.exec(line);
      if (m) names.push(m[1]!);
    }
  }
  return names;
}

/** A command's own flags and the global ones, from its help text (`-A, --all-namespaces=false:`). */
function flagsOf(path: string): FlagSpec[] {
  const text = `${HELP_TEXTS[path] ?? ''}\n${HELP_TEXTS.options ?? ''}`;
  return [...text.matchAll(/^ {4}(?:-(\w), )?--([\w-]+)=(.*):$/gm)].map((m) => ({ short: m[1], long: m[2]!, bool: m[3] === 'false' || m[3] === 'true' }));
}

interface Parsed { path: string; args: string[]; namespace?: string; allNamespaces: boolean; pendingFlag?: FlagSpec }

/** Splits the words before the cursor into the command path, its positional arguments and the namespace flags. */
function parse(words: string[]): Parsed {
  const p: Parsed = { path: '', args: [], allNamespaces: false };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') break;
    if (w.startsWith('-') && w.length > 1) {
      const [name, inline] = w.startsWith('--') ? [w.slice(2).split('=')[0]!, w.includes('=') ? w.slice(w.indexOf('=') + 1) : undefined] : [w.slice(1, 2), w.length > 2 ? w.slice(2) : undefined];
      const spec = flagsOf(p.path).find((f) => (w.startsWith('--') ? f.long === name : f.short === name));
      if (spec?.long === 'all-namespaces') p.allNamespaces = true;
      if (!spec || spec.bool || inline !== undefined) {
        if (spec?.long === 'namespace') p.namespace = inline;
        continue;
      }
      if (i + 1 >= words.length) p.pendingFlag = spec;
      else if (spec.long === 'namespace') p.namespace = words[i + 1];
      i++;
      continue;
    }
    const deeper = p.path ? `${p.path} ${w}` : w;
    if (p.args.length === 0 && HELP_TEXTS[deeper] !== undefined) p.path = deeper;
    else p.args.push(w);
  }
  return p;
}

function names(cluster: Cluster, r: ResourceInfo, p: Parsed): string[] {
  const opts = r.namespaced && !p.allNamespaces ? { namespace: p.namespace ?? 'default' } : {};
  return cluster.registry.list(r, opts).items.map((o) => o.metadata.name!).filter(Boolean);
}

const starting = (list: string[], prefix: string) => list.filter((x) => x.startsWith(prefix));

/** `TYPE/NAME` candidates for a word holding a slash, names for a word after a type. */
function objectNames(cluster: Cluster, p: Parsed, current: string, typeWord: string | undefined): string[] {
  if (current.includes('/')) {
    const type = current.slice(0, current.indexOf('/'));
    const r = lookupResource(type);
    return r ? starting(names(cluster, r, p).map((n) => `${type}/${n}`), current) : [];
  }
  const r = typeWord ? lookupResource(typeWord) : undefined;
  return r ? starting(names(cluster, r, p), current).filter((n) => !p.args.slice(1).includes(n)) : [];
}

export function kubectlCompleter(cluster: Cluster): ArgCompleter {
  return (words, current) => {
    const p = parse(words);
    if (p.pendingFlag) {
      if (p.pendingFlag.long === 'namespace') return starting(names(cluster, lookupResource('namespaces')!, p), current);
      if (p.pendingFlag.long === 'output') return starting(OUTPUT_FORMATS, current);
      return undefined;
    }
    if (current.startsWith('-')) {
      return flagsOf(p.path).flatMap((f) => [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])]).filter((f) => f.startsWith(current));
    }
    const subs = subcommands(p.path);
    if (p.args.length === 0 && subs.length) return starting(subs, current);
    if (TYPE_AND_NAME.has(p.path) || p.path === 'explain') {
      if (p.args.length === 0 && !current.includes('/')) {
        const verb = p.path === 'explain' ? undefined : 'get';
        return starting(RESOURCES.filter((r) => !verb || r.verbs.includes(verb)).map(qualifiedResource), current);
      }
      return p.path === 'explain' ? [] : objectNames(cluster, p, current, p.args[0]);
    }
    if (POD_NAME.has(p.path)) return p.args.length === 0 ? starting(names(cluster, lookupResource('pods')!, p), current) : [];
    if (NODE_NAME.has(p.path)) return starting(names(cluster, lookupResource('nodes')!, p), current);
    const allowed = ALLOWED_TYPES[p.path];
    if (allowed) return p.args.length === 0 && !current.includes('/') ? starting(allowed, current) : objectNames(cluster, p, current, p.args[0]);
    return undefined;
  };
}
