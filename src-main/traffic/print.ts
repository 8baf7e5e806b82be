/** `kubelab traffic` tables, laid out by kubectl's tab writer (minwidth 6, padding 3). */
import { tabulate } from '../printers/text/tabwriter.ts';
import type { RuleCount } from './counts.ts';
import type { ClientTraffic, EndpointTraffic } from './service-traffic.ts';

const table = (rows: string[][]) => tabulate(rows.map((r) => r.join('\t')).join('\n') + '\n', { minwidth: 6, padding: 3 });
const list = (xs: string[]) => (xs.length ? xs.join(',') : '<none>');

export function printEndpoints(rows: EndpointTraffic[], wide: boolean): string {
  const head = ['ENDPOINT', 'POD', 'NODE', 'ANSWERED', 'FAILED', 'CLIENTS', ...(wide ? ['ENTRY-NODES', 'CLIENT-IPS', 'SEEN-AS', 'VIA'] : [])];
  if (!rows.length) return 'No endpoints and no connections.\n';
  return table([
    head,
    ...rows.map((r) => [
      r.endpoint, r.pod ?? '<none>', r.node ?? '<none>', String(r.answered), String(r.failed), String(r.clients.length),
      ...(wide ? [list(r.entryNodes), list(r.clients), list(r.seenAs), list(r.via)] : []),
    ]),
  ]);
}

export function printClients(rows: ClientTraffic[], wide: boolean): string {
  const head = ['CLIENT', 'IP', 'ANSWERED', 'FAILED', 'ENDPOINTS', 'PODS', ...(wide ? ['ENTRY-NODES', 'SEEN-AS'] : [])];
  return table([
    head,
    ...rows.map((c) => [c.client, c.ip, String(c.answered), String(c.failed), String(c.endpoints.length), list(c.pods), ...(wide ? [list(c.entryNodes), list(c.seenAs)] : [])]),
  ]);
}

export function printServices(rows: Array<{ namespace: string; name: string; answered: number; failed: number; endpoints: number; clients: number }>, withNamespace: boolean): string {
  return table([
    [...(withNamespace ? ['NAMESPACE'] : []), 'NAME', 'ANSWERED', 'FAILED', 'ENDPOINTS', 'CLIENTS'],
    ...rows.map((r) => [...(withNamespace ? [r.namespace] : []), r.name, String(r.answered), String(r.failed), String(r.endpoints), String(r.clients)]),
  ]);
}

export function printRules(rows: RuleCount[]): string {
  return table([
    ['CHAIN', 'NUM', 'PACKETS', 'BYTES', 'TARGET', 'RULE'],
    ...rows.map((r) => [
      r.chain, r.index === 0 ? 'policy' : String(r.index), String(r.packets), String(r.bytes), r.target ?? '<none>',
      r.index === 0 ? `(policy ${r.target ?? 'ACCEPT'})` : r.text.replace(/^-A \S+ /, ''),
    ]),
  ]);
}
