/**
 * What a node box shows of its pods: each pod as its own box while a node has few, and once it has many, the pods of
 * one owner (a ReplicaSet, a DaemonSet...) as one box with their count and how many are in each status, so 500 pods
 * do not push the nodes out of view. Unscheduled pods are one list with their reasons. Pure, so Node tests run it.
 */
import type { PodView } from '../../../src-main/contract/views.ts';

/** Up to this many pods a node shows every pod. */
export const GROUP_ABOVE = 12;
/** An owner with fewer pods than this in a crowded node still shows them one by one. */
export const GROUP_MIN = 3;

export type Tile =
  | { kind: 'pod'; key: string; pod: PodView }
  | { kind: 'group'; key: string; namespace: string; owner: string; pods: PodView[]; statuses: Array<[string, number]> };

const podKey = (p: PodView): string => `${p.namespace}/${p.name}`;

function statuses(pods: PodView[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const p of pods) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** A node's tiles, in order (pods by name; a group where its first pod would be). */
export function nodeTiles(pods: readonly PodView[]): Tile[] {
  const sorted = [...pods].sort((a, b) => podKey(a).localeCompare(podKey(b)));
  if (sorted.length <= GROUP_ABOVE) return sorted.map((pod) => ({ kind: 'pod', key: podKey(pod), pod }));
  const byOwner = new Map<string, PodView[]>();
  for (const p of sorted) {
    if (!p.owner) continue;
    const k = `${p.namespace}/${p.owner}`;
    let list = byOwner.get(k);
    if (!list) byOwner.set(k, (list = []));
    list.push(p);
  }
  const tiles: Tile[] = [];
  const done = new Set<string>();
  for (const p of sorted) {
    const k = p.owner ? `${p.namespace}/${p.owner}` : null;
    const group = k ? byOwner.get(k)! : null;
    if (!k || !group || group.length < GROUP_MIN) {
      tiles.push({ kind: 'pod', key: podKey(p), pod: p });
      continue;
    }
    if (done.has(k)) continue;
    done.add(k);
    tiles.push({ kind: 'group', key: `group:${k}`, namespace: p.namespace, owner: p.owner!, pods: group, statuses: statuses(group) });
  }
  return tiles;
}

/** What a tile contributes to the map's structure (a group's count is not structure: it is a figure in its box). */
export function tileKeys(pods: readonly PodView[]): string[] {
  return nodeTiles(pods).map((t) => t.key);
}

export interface PendingGroup {
  reason: string;
  pods: PodView[];
}

/** Pods no node took, by why (the scheduler's message, else their status), biggest group first. */
export function pendingGroups(pods: readonly PodView[]): PendingGroup[] {
  const by = new Map<string, PodView[]>();
  for (const p of pods) {
    if (p.node) continue;
    const reason = p.scheduling || p.status;
    let list = by.get(reason);
    if (!list) by.set(reason, (list = []));
    list.push(p);
  }
  return [...by].map(([reason, list]) => ({ reason, pods: list.sort((a, b) => podKey(a).localeCompare(podKey(b))) })).sort((a, b) => b.pods.length - a.pods.length || a.reason.localeCompare(b.reason));
}
