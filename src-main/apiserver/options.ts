/**
 * Create, update, patch and delete options from the query, validated as apimachinery's meta/v1 validation does
 * (ValidateCreateOptions and friends): bad values are 422 Invalid on `CreateOptions.meta.k8s.io ""`.
 */
import { errors } from '../api/errors.ts';
import { goStringSlice, type FieldError } from '../api/field-errors.ts';
import type { FieldValidation } from './body.ts';
import type { ResourceRequest } from './context.ts';

export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
}

const FIELD_MANAGER_MAX = 128;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's %#U of a rune: U+0007 or U+0041 'A'. */
const hashU = (ch: string) => {
  const cp = ch.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
};

export function fieldManagerErrors(manager: string | undefined): FieldError[] {
  const out: FieldError[] = [];
  if (!manager) return out;
  if (Buffer.byteLength(manager) > FIELD_MANAGER_MAX) out.push({ type: 'FieldValueTooLong', field: 'fieldManager', detail: `may not be more than ${FIELD_MANAGER_MAX} bytes` });
  let at = 0;
  for (const ch of manager) {
    if (!PRINTABLE.test(ch)) out.push({ type: 'FieldValueInvalid', field: 'fieldManager', badValue: manager, detail: `invalid character ${hashU(ch)} (at position ${at})` });
    at += Buffer.byteLength(ch);
  }
  return out;
}

export function dryRunErrors(values: string[]): FieldError[] {
  return values.every((v) => v === 'All') ? [] : [{ type: 'FieldValueNotSupported', field: 'dryRun', badValue: goStringSlice(values), detail: 'supported values: "All"' }];
}

/** The options of a write, or 422 with every problem at once. */
export function writeOptionsOf(rr: ResourceRequest, kind: OptionsKind, isApply = false): WriteOptions {
  const q = rr.query;
  const errs: FieldError[] = [];
  const manager = q.get('fieldManager');
  if (kind === 'PatchOptions') {
    if (isApply && !manager) errs.push({ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' });
    if (!isApply && q.get('force') !== undefined) errs.push({ type: 'FieldValueForbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
  }
  errs.push(...fieldManagerErrors(manager));
  const dryRun = q.all('dryRun');
  errs.push(...dryRunErrors(dryRun));
  const fv = q.get('fieldValidation') ?? '';
  if (!['', 'Ignore', 'Strict', 'Warn'].includes(fv)) {
    errs.push({ type: 'FieldValueNotSupported', field: 'fieldValidation', badValue: fv, detail: 'supported values: "", "Ignore", "Strict", "Warn"' });
  }
  if (errs.length) throw errors.invalid('meta.k8s.io', kind, '', errs);
  return { dryRun: dryRun.includes('All'), fieldValidation: fv === '' ? 'Warn' : (fv as FieldValidation) };
}

