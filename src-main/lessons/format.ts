/**
 * A lesson folder in Killercoda's scenario format (index.json, Markdown pages, shell scripts), with kubelab's few
 * extensions: `hint` on a step, `shell` (where scripts run), `highlight` (objects the step is about) and `language`
 * (the language of index.json's own texts, `en` when absent). See docs/lessons.md.
 */

/** One `details.intro`, `details.steps[i]` or `details.finish` entry, as written in index.json. */
export interface RawPage {
  title?: unknown;
  text?: unknown;
  background?: unknown;
  foreground?: unknown;
  verify?: unknown;
  hint?: unknown;
  shell?: unknown;
  highlight?: unknown;
  /** Katacoda's intro script (read as `background`). */
  courseData?: unknown;
}

export interface RawAsset {
  file?: unknown;
  target?: unknown;
  chmod?: unknown;
}

export interface RawIndex {
  title?: unknown;
  description?: unknown;
  language?: unknown;
  shell?: unknown;
  details?: { intro?: RawPage; steps?: unknown; finish?: RawPage; assets?: Record<string, unknown> };
  backend?: { imageid?: unknown };
  [k: string]: unknown;
}

/** Where a script runs: a node's cluster shell (the control plane by default), or the laptop's shell. */
export type ScriptPlace = { kind: 'node'; node: string } | { kind: 'laptop' };

export class LessonFormatError extends Error {}

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

export function isLanguage(s: unknown): s is string {
  return typeof s === 'string' && LANGUAGE.test(s);
}

/** `master` (default), `worker1`, `laptop`, or Killercoda's `host01`/`host02`... (host01 is the control plane). */
export function parsePlace(value: unknown, where: string, fallback: ScriptPlace): ScriptPlace {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) throw new LessonFormatError(`${where}: shell must be a node name or "laptop"`);
  if (value === 'laptop') return { kind: 'laptop' };
  return { kind: 'node', node: value };
}

/** Killercoda numbers its hosts host01, host02...: the first is the control plane, the others the workers. */
export function placeOfHost(host: string, nodes: string[]): ScriptPlace | undefined {
  const m = /^host0*(\d+)$/.exec(host);
  if (!m) return undefined;
  const node = nodes[Number(m[1]) - 1];
  return node ? { kind: 'node', node } : undefined;
}

export function str(value: unknown, where: string, required = false): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw new LessonFormatError(`${where} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new LessonFormatError(`${where} must be a string`);
  return value;
}

export interface HighlightRef {
  kind: string;
  namespace?: string;
  name: string;
}

const KINDS: Record<string, string> = {
  svc: 'Service', service: 'Service', deploy: 'Deployment', deployment: 'Deployment', po: 'Pod', pod: 'Pod', rs: 'ReplicaSet',
  replicaset: 'ReplicaSet', ep: 'Endpoints', endpoints: 'Endpoints', node: 'Node', no: 'Node', ds: 'DaemonSet', daemonset: 'DaemonSet',
  endpointslice: 'EndpointSlice', cm: 'ConfigMap', configmap: 'ConfigMap', ns: 'Namespace', namespace: 'Namespace',
};

/** `highlight: ["svc/web", "kube-system/svc/kube-dns", "node/worker1"]`. */
export function parseHighlight(value: unknown, where: string): HighlightRef[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new LessonFormatError(`${where}: highlight must be a list of "kind/name" or "namespace/kind/name"`);
  return value.map((v, i) => {
    const parts = typeof v === 'string' ? v.split('/') : [];
    const kind = KINDS[(parts.length === 3 ? parts[1] : parts[0])?.toLowerCase() ?? ''];
    if (!kind || parts.length < 2 || parts.length > 3 || parts.some((p) => !p)) throw new LessonFormatError(`${where}.highlight[${i}]: want "kind/name" or "namespace/kind/name", got ${JSON.stringify(v)}`);
    return parts.length === 3 ? { kind, namespace: parts[0]!, name: parts[2]! } : { kind, name: parts[1]! };
  });
}
