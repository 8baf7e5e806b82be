/** Helpers shared by controllers (pkg/controller/controller_utils.go, pkg/api/v1/pod, apimachinery intstr). */
import type { LabelSelector, OwnerReference } from 'kubernetes-types/meta/v1';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types.ts';
import { labelSelectorMatcher } from '../store/selectors.ts';
import { isoTime } from '../clock/clock.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { mutate, type Runtime } from './framework.ts';
import { quantityValue } from '../api/quantity/index.ts';

export const asPod = (o: KubeObject) => o as unknown as Pod;

export function controllerRef(o: KubeObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

export function newControllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** podutil.IsPodAvailable: ready for at least minReadySeconds. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  return !!c.lastTransitionTime && Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 <= now;
}

/** controller.IsPodActive. */
export function isPodActive(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** Sets (or replaces) a pod condition the way podutil.UpdatePodCondition does; true when something changed. */
export function setPodCondition(pod: Pod, cond: PodCondition, now: number): boolean {
  const status = ((pod as { status?: Pod['status'] }).status ??= {}) as NonNullable<Pod['status']> & { conditions?: PodCondition[] };
  const list = (status.conditions ??= []) as PodCondition[];
  const i = list.findIndex((c) => c.type === cond.type);
  const old = i >= 0 ? list[i] : undefined;
  const next: PodCondition = { ...cond, lastTransitionTime: old && old.status === cond.status ? old.lastTransitionTime : isoTime(now) };
  if (old && old.status === next.status && old.reason === next.reason && old.message === next.message) return false;
  if (i >= 0) list[i] = next;
  else list.push(next);
  return true;
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, dflt: string): number {
  const val = v ?? dflt;
  if (typeof val === 'number') return val;
  const m = /^(\d+)%$/.exec(val);
  if (!m) return Number(val) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** Go's time round trip in the store is seconds; creation order ties are broken by name, as upstream does. */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  return ta - tb || (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0);
}

/**
 * ControllerRefManager.Claim*: adopts orphans that match the selector, releases owned objects that no longer match,
 * and returns what the owner controls afterwards.
 */
export function claim(rt: Runtime, owner: KubeObject, selector: LabelSelector | undefined, candidates: KubeObject[], r: ResourceInfo, canAdopt = true): KubeObject[] {
  const match = labelSelectorMatcher(selector);
  const mine: KubeObject[] = [];
  for (const o of candidates) {
    const ref = controllerRef(o);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (match(o.metadata.labels)) {
        mine.push(o);
        continue;
      }
      if (owner.metadata.deletionTimestamp || o.metadata.deletionTimestamp) continue;
      mutate(rt, r, o, (x) => {
        x.metadata.ownerReferences = x.metadata.ownerReferences!.filter((x2) => x2.uid !== owner.metadata.uid);
        if (x.metadata.ownerReferences.length === 0) delete x.metadata.ownerReferences;
      });
      continue;
    }
    if (!canAdopt || owner.metadata.deletionTimestamp || o.metadata.deletionTimestamp || !match(o.metadata.labels)) continue;
    mine.push(
      mutate(rt, r, o, (x) => {
        x.metadata.ownerReferences = [...(x.metadata.ownerReferences ?? []), newControllerRef(owner)];
      }),
    );
  }
  return mine;
}

/** resource.Quantity to a number (cores for cpu, bytes for memory, a count otherwise). */
/** The scheduler reads the same few quantities (allocatable, requests) for every pod and node. */
const quantityValues = new Map<string, number>();

export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined || q === null) return 0;
  if (typeof q === 'number') return q;
  let v = quantityValues.get(q);
  if (v === undefined) {
    v = quantityValue(q);
    if (quantityValues.size < 10_000) quantityValues.set(q, v);
  }
  return v;
}

export function annotation(o: KubeObject, key: string): string | undefined {
  return o.metadata.annotations?.[key];
}
