/** The checks `kubelab traffic --expect-...` makes, each failing with a sentence a learner can act on. */
import type { FlowCount } from './counts.ts';
import type { ServiceTraffic } from './service-traffic.ts';

export interface ServiceExpectations {
  endpoints?: number;
  answered?: number;
  failed?: number;
  pinned?: boolean;
  seenAs?: string;
}

interface WindowText {
  text: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function checkService(t: ServiceTraffic, e: ServiceExpectations, w: WindowText, flows: FlowCount[]): string[] {
  const svc = `service ${t.namespace}/${t.name}`;
  const problems: string[] = [];
  const answering = t.endpoints.filter((r) => r.endpoint !== '<none>' && r.answered > 0);
  const answered = t.endpoints.reduce((n, r) => n + r.answered, 0);
  const failed = t.endpoints.reduce((n, r) => n + r.failed, 0);
  const failures = failed ? ` (${plural(failed, 'connection')} failed)` : '';
  if (e.endpoints !== undefined && answering.length < e.endpoints) {
    const who = answering.length ? `: ${answering.map((r) => `${r.pod ?? r.endpoint} (${r.answered})`).join(', ')}` : '';
    const of = t.endpoints.filter((r) => r.current).length;
    problems.push(`expected at least ${plural(e.endpoints, 'endpoint')} of ${svc} to answer ${w.text}, ${answering.length === 0 ? 'none did' : `${answering.length} did${who}`}${failures}; the service has ${plural(of, 'ready endpoint')} now`);
  }
  if (e.answered !== undefined && answered < e.answered) {
    problems.push(`expected at least ${plural(e.answered, 'answered connection')} to ${svc} ${w.text}, got ${answered}${failures}`);
  }
  if (e.failed !== undefined && failed < e.failed) {
    problems.push(`expected at least ${plural(e.failed, 'failed connection')} to ${svc} ${w.text}, got ${failed}`);
  }
  if (e.pinned) {
    const clients = t.clients.filter((c) => c.answered > 0);
    if (clients.length === 0) problems.push(`expected answered clients of ${svc} ${w.text}, there were none`);
    for (const c of clients) {
      if (c.endpoints.length > 1) problems.push(`client ${c.client} (${c.ip}) of ${svc} was answered by ${c.endpoints.length} endpoints ${w.text}: ${(c.pods.length ? c.pods : c.endpoints).join(', ')}`);
    }
  }
  if (e.seenAs !== undefined) {
    const ok = flows.filter((f) => f.service === `${t.namespace}/${t.name}` && f.result === 'ok');
    const others = [...new Set(ok.filter((f) => f.seenAs !== e.seenAs).map((f) => f.seenAs))].sort();
    if (ok.length === 0) problems.push(`expected answered connections to ${svc} seen from ${e.seenAs} ${w.text}, there were none`);
    else if (others.length) problems.push(`expected the pods of ${svc} to see source address ${e.seenAs} ${w.text}, they saw ${others.join(', ')}`);
  }
  return problems;
}

export function checkRules(r: { node: string; chain?: string; match?: string; expected: number; got: number; window: WindowText }): string[] {
  if (r.got >= r.expected) return [];
  const what = r.match ? `rules${r.chain ? ` of chain ${r.chain}` : ''} matching "${r.match}"` : `chain ${r.chain}`;
  const verb = r.match ? 'to match' : 'to enter';
  return [`expected at least ${plural(r.expected, 'packet')} ${verb} ${what} on node ${r.node} ${r.window.text}, got ${r.got}`];
}
