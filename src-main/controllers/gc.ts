/**
 * The garbage collector (pkg/controller/garbagecollector): a dependents index over ownerReferences; dependents whose
 * owners are all gone are deleted (with the policy their own finalizers ask for); owners deleted in the foreground
 * wait (foregroundDeletion finalizer) until their blocking dependents are gone; orphaning strips the references
 * and then the `orphan` finalizer.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { RESOURCES, type ResourceInfo } from '../api/resources.ts';
import type { KubeObject } from '../api/types.ts';
import { deleteObject, keyOf, mutate, splitKey, type Runtime } from './framework.ts';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

type Id = string; // `<kind>|<ns/name>`

export function startGarbageCollector(rt: Runtime): void {
  const kinds = RESOURCES.filter((r) => r.kind !== 'Event');
  const byKindName = new Map(kinds.map((r) => [r.kind, r]));
  /** owner uid -> dependents */
  const dependents = new Map<string, Set<Id>>();
  const idOf = (r: ResourceInfo, o: KubeObject): Id => `${r.kind}|${keyOf(o)}`;
  const parse = (id: Id): [ResourceInfo, string | undefined, string] => {
    const i = id.indexOf('|');
    const [ns, name] = splitKey(id.slice(i + 1));
    return [byKindName.get(id.slice(0, i))!, ns, name];
  };
  const attemptToDelete = rt.queue('garbagecollector', attempt);
  const owners = rt.queue('garbagecollector-owners', processOwner);

  const index = (id: Id, refs: OwnerReference[] | undefined, add: boolean) => {
    for (const ref of refs ?? []) {
      let s = dependents.get(ref.uid);
      if (!s && add) dependents.set(ref.uid, (s = new Set()));
      if (!s) continue;
      if (add) s.add(id);
      else {
        s.delete(id);
        if (s.size === 0) dependents.delete(ref.uid);
      }
    }
  };

  for (const r of kinds) {
    rt.informers.for(r).on((type, o, old) => {
      const id = idOf(r, o);
      // processGraphChanges: an update that leaves owner references, finalizers and the deletion state alone changes
      // nothing in the graph (a status write keeps the stored, shared arrays), so the object is not re-examined.
      const unchanged = type !== 'DELETED' && old !== undefined && old.metadata.deletionTimestamp === o.metadata.deletionTimestamp &&
        sameJson(old.metadata.finalizers, o.metadata.finalizers) && sameJson(old.metadata.ownerReferences, o.metadata.ownerReferences);
      if (unchanged) return;
      if (old) index(id, old.metadata.ownerReferences, false);
      if (type === 'DELETED') {
        index(id, o.metadata.ownerReferences, false);
        for (const dep of dependents.get(o.metadata.uid!) ?? []) attemptToDelete.add(dep);
        // An owner waiting for its dependents may now be free.
        for (const ref of o.metadata.ownerReferences ?? []) {
          const kind = byKindName.get(ref.kind);
          if (kind) owners.add(`${kind.kind}|${kind.namespaced ? `${o.metadata.namespace}/` : ''}${ref.name}`);
        }
        return;
      }
      index(id, o.metadata.ownerReferences, true);
      if (o.metadata.ownerReferences?.length) attemptToDelete.add(id);
      const fin = o.metadata.finalizers ?? [];
      if (o.metadata.deletionTimestamp && (fin.includes(FOREGROUND) || fin.includes(ORPHAN))) owners.add(id);
    });
  }

  type Verdict = 'solid' | 'dangling' | 'waiting' | 'unknown';

  function ownerState(dep: KubeObject, ref: OwnerReference): Verdict {
    const r = byKindName.get(ref.kind);
    if (!r || (r.group ? `${r.group}/${r.version}` : r.version) !== ref.apiVersion) return 'unknown';
    const owner = rt.reg.tryGet(r, r.namespaced ? dep.metadata.namespace : undefined, ref.name);
    if (!owner || owner.metadata.uid !== ref.uid) return 'dangling';
    if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND)) return 'waiting';
    return 'solid';
  }

  /** attemptToDeleteItem. */
  function attempt(id: Id): void {
    const [r, ns, name] = parse(id);
    const obj = rt.reg.tryGet(r, ns, name);
    if (!obj || !obj.metadata.ownerReferences?.length) return;
    if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).includes(FOREGROUND)) return;
    if (obj.metadata.deletionTimestamp) return void owners.add(id);
    const refs = obj.metadata.ownerReferences;
    const states = refs.map((ref) => ownerState(obj, ref));
    if (states.includes('unknown')) return;
    if (states.includes('solid')) {
      if (!states.includes('dangling') && !states.includes('waiting')) return;
      // Keep the object; drop references to owners that are gone, stop blocking owners deleting in the foreground.
      mutate(rt, r, obj, (x) => {
        x.metadata.ownerReferences = refs.flatMap((ref, i) =>
          states[i] === 'dangling' ? [] : states[i] === 'waiting' ? [{ ...ref, blockOwnerDeletion: false }] : [ref],
        );
      });
      return;
    }
    const fin = obj.metadata.finalizers ?? [];
    const hasOwnDependents = (dependents.get(obj.metadata.uid!)?.size ?? 0) > 0;
    const policy = states.includes('waiting') && hasOwnDependents ? 'Foreground' : fin.includes(ORPHAN) ? 'Orphan' : fin.includes(FOREGROUND) ? 'Foreground' : 'Background';
    deleteObject(rt, r, obj, { propagationPolicy: policy });
  }

  /** processDeletingDependentsItem and orphanDependents. */
  function processOwner(id: Id): void {
    const [r, ns, name] = parse(id);
    const obj = rt.reg.tryGet(r, ns, name);
    if (!obj?.metadata.deletionTimestamp) return;
    const fin = obj.metadata.finalizers ?? [];
    const deps = [...(dependents.get(obj.metadata.uid!) ?? [])];
    if (fin.includes(ORPHAN)) {
      for (const dep of deps) {
        const [dr, dns, dname] = parse(dep);
        const d = rt.reg.tryGet(dr, dns, dname);
        if (!d?.metadata.ownerReferences?.some((x) => x.uid === obj.metadata.uid)) continue;
        mutate(rt, dr, d, (x) => {
          x.metadata.ownerReferences = x.metadata.ownerReferences!.filter((ref) => ref.uid !== obj.metadata.uid);
          if (x.metadata.ownerReferences.length === 0) delete x.metadata.ownerReferences;
        });
      }
      removeFinalizer(r, obj, ORPHAN);
      return;
    }
    if (!fin.includes(FOREGROUND)) return;
    const blocking = deps.filter((dep) => {
      const [dr, dns, dname] = parse(dep);
      const d = rt.reg.tryGet(dr, dns, dname);
      return d?.metadata.ownerReferences?.some((x) => x.uid === obj.metadata.uid && x.blockOwnerDeletion);
    });
    for (const dep of deps) attemptToDelete.add(dep);
    if (blocking.length === 0) removeFinalizer(r, obj, FOREGROUND);
  }

  function removeFinalizer(r: ResourceInfo, obj: KubeObject, f: string): void {
    const next = structuredClone(obj) as KubeObject;
    const rest = (obj.metadata.finalizers ?? []).filter((x) => x !== f);
    if (rest.length) next.metadata.finalizers = rest;
    else delete next.metadata.finalizers;
    const saved = rt.reg.update(r, next);
    const still = rt.reg.tryGet(r, obj.metadata.namespace, obj.metadata.name!);
    if (still) rt.informers.for(r).apply(saved);
    else rt.informers.for(r).remove(saved);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
