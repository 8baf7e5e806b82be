/** Size of a DNS message on the wire with name compression (what dig reports as MSG SIZE). */
import type { DnsResponse, RData, ResourceRecord } from './types.ts';

const TYPE_FIXED = 10; // type, class, ttl, rdlength

class Compressor {
  private seen = new Set<string>();
  /** Bytes to write `name`, reusing any suffix already written. */
  name(name: string): number {
    const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
    let size = 0;
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.');
      if (this.seen.has(suffix)) return size + 2;
      this.seen.add(suffix);
      size += 1 + labels[i]!.length;
    }
    return size + 1;
  }
}

function rdataSize(c: Compressor, d: RData): number {
  switch (d.type) {
    case 'A':
      return 4;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return c.name(d.target);
    case 'SRV':
      return 6 + c.name(d.target);
    case 'SOA':
      return c.name(d.mname) + c.name(d.rname) + 20;
  }
}

export function messageSize(r: DnsResponse, edns = true): number {
  const c = new Compressor();
  let size = 12 + c.name(r.question.name) + 4;
  const rec = (x: ResourceRecord) => c.name(x.name) + TYPE_FIXED + rdataSize(c, x.data);
  for (const x of [...r.answer, ...r.authority, ...r.additional]) size += rec(x);
  return size + (edns ? 11 : 0);
}
