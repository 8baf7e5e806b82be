/**
 * Go `%#v` renderings of the values kube-apiserver puts in field errors (maps, slices, label selectors,
 * IntOrString, ServicePort keys), so messages read exactly as the real ones do.
 */
import { GoValue } from '../field-errors.ts';

const q = (s: string) => JSON.stringify(s);

/** map[string]string{"a":"b"} with keys sorted, as fmt prints maps. `nil` map: map[string]string(nil). */
export function goStringMapText(m: Record<string, string> | undefined | null): string {
  if (m === undefined || m === null) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${q(k)}:${q(String(m[k]))}`).join(', ')}}`;
}

export function goStringMap(m: Record<string, string> | undefined | null): GoValue {
  return new GoValue(goStringMapText(m));
}

export function goStrings(values: string[] | undefined | null): GoValue {
  if (values === undefined || values === null) return new GoValue('[]string(nil)');
  return new GoValue(`[]string{${values.map(q).join(', ')}}`);
}

export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function requirementText(r: { key: string; operator: string; values?: string[] }): string {
  return `v1.LabelSelectorRequirement{Key:${q(r.key)}, Operator:${q(r.operator)}, Values:${goStrings(r.values).text}}`;
}

/** v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)} */
export function goLabelSelector(sel: LabelSelectorLike | undefined | null): GoValue {
  if (!sel) return new GoValue('"null"');
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions.map(requirementText).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoValue(`v1.LabelSelector{MatchLabels:${goStringMapText(sel.matchLabels)}, MatchExpressions:${exprs}}`);
}

export function goIntOrStringText(v: number | string | undefined): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${q(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${v ?? 0}, StrVal:""}`;
}

export function goIntOrString(v: number | string | undefined): GoValue {
  return new GoValue(goIntOrStringText(v));
}

/** The key ValidateService builds to find duplicate ports: only protocol and port are set. */
export function goServicePortKey(protocol: string, port: number): GoValue {
  return new GoValue(
    `core.ServicePort{Name:"", Protocol:${q(protocol)}, AppProtocol:(*string)(nil), Port:${port}, ` +
      `TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}
