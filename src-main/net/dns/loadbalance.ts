/**
 * CoreDNS's `loadbalance` plugin (in kubeadm's Corefile): every answer's A/AAAA records (and MX) are shuffled, CNAMEs
 * first, then the other records, then the addresses. A headless Service's name thus sends each new lookup's first
 * address, the one a client connects to, to another pod. After plugin/loadbalance/loadbalance.go's roundRobin.
 */
import type { DnsResponse, ResourceRecord } from './types.ts';

/** dns.Id(): a random 16-bit message id, what the plugin's shuffle draws from. */
export type Draw = () => number;

const draw16: Draw = () => Math.floor(Math.random() * 0x10000);

function shuffle(records: ResourceRecord[], id: Draw): void {
  const l = records.length;
  if (l < 2) return;
  if (l === 2) {
    if (id() % 2 === 0) [records[0], records[1]] = [records[1]!, records[0]!];
    return;
  }
  for (let j = 0; j < l; j++) {
    const p = j + (id() % (l - j));
    if (p !== j) [records[j], records[p]] = [records[p]!, records[j]!];
  }
}

function roundRobin(section: ResourceRecord[], id: Draw): ResourceRecord[] {
  const cname: ResourceRecord[] = [];
  const address: ResourceRecord[] = [];
  const rest: ResourceRecord[] = [];
  for (const r of section) {
    if (r.data.type === 'CNAME') cname.push(r);
    else if (r.data.type === 'A') address.push(r);
    else rest.push(r);
  }
  shuffle(address, id);
  return [...cname, ...rest, ...address];
}

/** The response as the plugin writes it: a successful answer's sections shuffled, anything else unchanged. */
export function loadbalance(res: DnsResponse, id: Draw = draw16): DnsResponse {
  if (res.rcode !== 'NOERROR') return res;
  return { ...res, answer: roundRobin(res.answer, id), authority: roundRobin(res.authority, id), additional: roundRobin(res.additional, id) };
}
