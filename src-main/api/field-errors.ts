/** Field errors as apimachinery's util/validation/field builds and prints them. */
export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate'
  | 'FieldValueNotSupported'
  | 'FieldValueNotFound'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueNotFound: 'Not found',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

/** A value printed the way Go's %v/%q/%#v would; use GoValue for slices/structs (e.g. `[]string{"a"}`). */
export class GoValue {
  constructor(readonly text: string) {}
}

export function goStringSlice(values: string[]): GoValue {
  return new GoValue(`[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`);
}

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue?: unknown;
  detail?: string;
}

function formatValue(v: unknown): string {
  // Go turns a nil value into the string "null" and then prints it with %q.
  if (v === undefined || v === null) return '"null"';
  if (v instanceof GoValue) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  const valueless = ['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError', 'FieldValueTooMany'];
  if (!valueless.includes(e.type)) s += `: ${formatValue(e.badValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

export const field = {
  required: (f: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: f, detail }),
  invalid: (f: string, value: unknown, detail = ''): FieldError => ({ type: 'FieldValueInvalid', field: f, badValue: value, detail }),
  forbidden: (f: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: f, detail }),
  duplicate: (f: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: f, badValue: value }),
  notFound: (f: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: f, badValue: value }),
  tooLong: (f: string, value: unknown, max: number): FieldError => ({
    type: 'FieldValueTooLong',
    field: f,
    badValue: value,
    detail: `may not be more than ${max} bytes`,
  }),
  notSupported: (f: string, value: unknown, supported: string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field: f,
    badValue: value,
    detail: supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '',
  }),
};
