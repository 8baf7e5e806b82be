/**
 * Deployment and ReplicaSet validation (pkg/apis/apps/validation/validation.go) plus the selector immutability that
 * pkg/registry/apps/{deployment,replicaset}/strategy.go adds on update for apps/v1.
 */
import { type FieldError, GoValue, field } from '../field-errors.ts';
import type { ObjectMeta } from '../types.ts';
import { isValidPercent, nameIsDNSSubdomain } from '../names.ts';
import { goIntOrString, goLabelSelector, goStringMap } from './go-values.ts';
import {
  deepEqual,
  FIELD_IMMUTABLE,
  labelSelectorMatches,
  selectorIsEmpty,
  validateLabelSelector,
  validateNonnegative,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './meta.ts';
import { validatePodTemplateSpec } from './pod.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

function validateSelector(spec: Obj, path: string): FieldError[] {
  if (!spec.selector) return [field.required(`${path}.selector`)];
  const errs = validateLabelSelector(spec.selector, `${path}.selector`);
  // Upstream says "deployment" for ReplicaSets too.
  if (selectorIsEmpty(spec.selector)) errs.push(field.invalid(`${path}.selector`, goLabelSelector(spec.selector), 'empty selector is invalid for deployment'));
  return errs;
}

/** ValidatePodTemplateSpecForReplicaSet. */
function validateTemplateForReplicaSet(spec: Obj, path: string, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  const template = spec.template ?? {}; // a struct, never nil, in the Go types
  const matches = labelSelectorMatches(spec.selector, template.metadata?.labels);
  if (matches === undefined) return [field.invalid('spec.selector', goLabelSelector(spec.selector), 'invalid label selector')];
  // A nil selector converts to "nothing", which is not empty and matches no labels.
  if (!selectorIsEmpty(spec.selector) && !matches)
    errs.push(field.invalid(`${path}.metadata.labels`, goStringMap(template.metadata?.labels), '`selector` does not match template `labels`'));
  errs.push(...validatePodTemplateSpec(template, path));
  const rp = template.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(field.notSupported(`${path}.spec.restartPolicy`, rp ?? '', ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec?.activeDeadlineSeconds !== null)
    errs.push(field.forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
  return errs;
}

function percentValue(v: number | string | undefined): number | undefined {
  if (typeof v !== 'string' || isValidPercent(v).length) return undefined;
  return parseInt(v.slice(0, -1), 10);
}

function intOrPercentValue(v: number | string | undefined): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  return typeof v === 'number' ? v : 0;
}

function validatePositiveIntOrPercent(v: number | string | undefined, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => field.invalid(path, goIntOrString(v), m));
  return validateNonnegative(v ?? 0, path);
}

function validateStrategy(strategy: Obj, path: string): FieldError[] {
  const s = strategy ?? {};
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate ? [field.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      const ru = s.rollingUpdate;
      if (!ru) return [field.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
      const p = `${path}.rollingUpdate`;
      const errs = validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`);
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
        errs.push(field.invalid(`${p}.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      const pct = percentValue(ru.maxUnavailable);
      if (pct !== undefined && pct > 100) errs.push(field.invalid(`${p}.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'must not be greater than 100%'));
      return errs;
    }
    default:
      return [
        field.notSupported(
          path,
          new GoValue(`apps.DeploymentStrategy{Type:${JSON.stringify(s.type ?? '')}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}`),
          ['Recreate', 'RollingUpdate'],
        ),
      ];
  }
}

function validateDeploymentSpec(spec: Obj): FieldError[] {
  const s = spec ?? {};
  const errs = validateNonnegative(s.replicas, 'spec.replicas');
  errs.push(...validateSelector(s, 'spec'));
  errs.push(...validateTemplateForReplicaSet(s, 'spec.template', 'ReplicaSet'));
  errs.push(...validateStrategy(s.strategy, 'spec.strategy'));
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  if (s.revisionHistoryLimit !== undefined && s.revisionHistoryLimit !== null) errs.push(...validateNonnegative(s.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const pds = s.progressDeadlineSeconds;
  if (pds !== undefined && pds !== null) {
    errs.push(...validateNonnegative(pds, 'spec.progressDeadlineSeconds'));
    if (pds <= (s.minReadySeconds ?? 0)) errs.push(field.invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

function validateReplicaSetSpec(spec: Obj): FieldError[] {
  const s = spec ?? {};
  const errs = validateNonnegative(s.replicas, 'spec.replicas');
  errs.push(...validateNonnegative(s.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelector(s, 'spec'));
  errs.push(...validateTemplateForReplicaSet(s, 'spec.template', 'ReplicaSet'));
  return errs;
}

function immutableSelector(obj: Obj, old: Obj): FieldError[] {
  const next = obj.spec?.selector ?? null;
  return deepEqual(next, old.spec?.selector ?? null) ? [] : [field.invalid('spec.selector', goLabelSelector(next), FIELD_IMMUTABLE)];
}

export function validateDeployment(d: Obj): FieldError[] {
  return [...validateObjectMeta(d.metadata as ObjectMeta, true, nameIsDNSSubdomain), ...validateDeploymentSpec(d.spec)];
}

export function validateDeploymentUpdate(d: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(d.metadata, old.metadata), ...validateDeploymentSpec(d.spec), ...immutableSelector(d, old)];
}

export function validateReplicaSet(rs: Obj): FieldError[] {
  return [...validateObjectMeta(rs.metadata as ObjectMeta, true, nameIsDNSSubdomain), ...validateReplicaSetSpec(rs.spec)];
}

export function validateReplicaSetUpdate(rs: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(rs.metadata, old.metadata), ...validateReplicaSetSpec(rs.spec), ...immutableSelector(rs, old)];
}
