/** DNS messages as data, shaped after what CoreDNS returns. */
export type QType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'ANY' | 'SOA' | 'NS';
export type RCode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export type RData =
  | { type: 'A'; address: string }
  | { type: 'CNAME'; target: string }
  | { type: 'PTR'; target: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { type: 'NS'; target: string };

export interface ResourceRecord {
  /** Fully qualified, lower case, with the trailing dot. */
  name: string;
  ttl: number;
  class: 'IN';
  data: RData;
}

export interface DnsQuery {
  name: string;
  type: QType;
}

export interface DnsResponse {
  question: { name: string; type: QType };
  rcode: RCode;
  /** AA: CoreDNS sets it for the zones it is authoritative for. */
  authoritative: boolean;
  answer: ResourceRecord[];
  authority: ResourceRecord[];
  additional: ResourceRecord[];
}

export function fqdn(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n : `${n}.`;
}

export function rdataText(d: RData): string {
  switch (d.type) {
    case 'A':
      return d.address;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return d.target;
    case 'SRV':
      return `${d.priority} ${d.weight} ${d.port} ${d.target}`;
    case 'SOA':
      return `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
  }
}
