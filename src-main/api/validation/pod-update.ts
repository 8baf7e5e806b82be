/**
 * ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations and a previously negative grace period may
 * change. Upstream appends a go-cmp diff of the internal PodSpec to the message; go-cmp deliberately randomises its
 * whitespace, so no two servers print it identically. Here the diff lists changed top-level PodSpec fields in
 * go-cmp's `-`/`+` shape with Go field names, which is close to what kubectl shows but not byte-identical.
 */
import { type FieldError, field } from '../field-errors.ts';
import type { ObjectMeta } from '../types.ts';
import { inclusiveRangeError } from '../names.ts';
import { deepEqual, validateObjectMetaUpdate } from './meta.ts';
import { validatePodMetadataAndSpec, validateTolerations } from './pod.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

export const POD_UPDATE_FORBIDDEN_PREFIX = `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}`;

function containerUpdates(next: Obj[] | undefined, prev: Obj[] | undefined, path: string): { errs: FieldError[]; stop: boolean } {
  const n = next ?? [];
  if (n.length !== (prev ?? []).length) return { errs: [field.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    if (!c.image) errs.push(field.required(`${path}[${i}].image`));
    if (typeof c.image === 'string' && c.image.trim() !== c.image)
      errs.push(field.invalid(`${path}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function onlyAddedTolerations(next: Obj[] | undefined, prev: Obj[] | undefined, path: string): FieldError[] {
  for (const old of prev ?? []) {
    const found = (next ?? []).some((t) => deepEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [field.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, path);
}

const goFieldName = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);

function goText(v: unknown): string {
  if (v === undefined || v === null) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `{${v.map(goText).join(', ')}}`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${goFieldName(k)}: ${goText(x)}`).join(', ')}}`;
}

/** A go-cmp-like report of which PodSpec fields differ. */
export function podSpecDiff(oldSpec: Obj, newSpec: Obj): string {
  const keys = [...new Set([...Object.keys(oldSpec ?? {}), ...Object.keys(newSpec ?? {})])];
  const lines = ['  core.PodSpec{'];
  let same = 0;
  const flush = () => {
    if (same) lines.push(`  \t... // ${same} identical field${same === 1 ? '' : 's'}`);
    same = 0;
  };
  for (const k of keys) {
    if (deepEqual(oldSpec?.[k], newSpec?.[k])) {
      same++;
      continue;
    }
    flush();
    if (oldSpec?.[k] !== undefined) lines.push(`- \t${goFieldName(k)}: ${goText(oldSpec[k])},`);
    if (newSpec?.[k] !== undefined) lines.push(`+ \t${goFieldName(k)}: ${goText(newSpec[k])},`);
  }
  flush();
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}

export function validatePodUpdate(pod: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(pod.metadata as ObjectMeta, old.metadata as ObjectMeta);
  errs.push(...validatePodMetadataAndSpec(pod));
  const spec = pod.spec ?? {};
  const oldSpec = old.spec ?? {};
  for (const list of ['containers', 'initContainers']) {
    const r = containerUpdates(spec[list], oldSpec[list], `spec.${list}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    if (ads < 0 || ads > 2147483647) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, 2147483647)));
      return errs;
    }
    if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null && oldSpec.activeDeadlineSeconds < ads) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null) {
    errs.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...onlyAddedTolerations(spec.tolerations, oldSpec.tolerations, 'spec.tolerations'));
  if (deepEqual(spec, oldSpec)) return errs;

  const munged = structuredClone(spec);
  for (const list of ['containers', 'initContainers'])
    (munged[list] ?? []).forEach((c: Obj, i: number) => {
      c.image = oldSpec[list]?.[i]?.image;
    });
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  if ((oldSpec.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  for (const k of Object.keys(munged)) if (munged[k] === undefined) delete munged[k];
  if (!deepEqual(munged, oldSpec)) errs.push(field.forbidden('spec', `${POD_UPDATE_FORBIDDEN_PREFIX}\n${podSpecDiff(oldSpec, munged)}`));
  return errs;
}
