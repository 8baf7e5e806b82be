/** Accept-header parsing and the media types kube-apiserver negotiates (discovery versions, Tables). */

export interface MediaRange {
  type: string; // e.g. application/json
  params: Record<string, string>;
  raw: string;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((raw) => {
      const [type, ...ps] = raw.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of ps) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
      }
      return { type: type.toLowerCase(), params, raw };
    });
}

const JSONISH = new Set(['application/json', 'application/*', '*/*', 'application/yaml', 'application/vnd.kubernetes.protobuf']);

export type DiscoveryChoice = { kind: 'aggregated'; version: 'v2' | 'v2beta1' } | { kind: 'legacy' } | { kind: 'none' };

/** First acceptable entry wins, as the apiserver's negotiation walks the client's preference order. */
export function negotiateDiscovery(accept: string | undefined): DiscoveryChoice {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { kind: 'legacy' };
  for (const r of ranges) {
    if (r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io' && (r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*')) {
      if (r.params.v === 'v2' || r.params.v === 'v2beta1') return { kind: 'aggregated', version: r.params.v };
      continue;
    }
    if (r.params.as) continue;
    if (JSONISH.has(r.type)) return { kind: 'legacy' };
  }
  return { kind: 'none' };
}

export type TableChoice = { kind: 'table'; version: 'v1' | 'v1beta1' } | { kind: 'plain' } | { kind: 'none' };

export function negotiateObject(accept: string | undefined): TableChoice {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { kind: 'plain' };
  for (const r of ranges) {
    if (r.params.as === 'Table' && r.params.g === 'meta.k8s.io' && (r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*')) {
      if (r.params.v === 'v1' || r.params.v === 'v1beta1') return { kind: 'table', version: r.params.v };
      continue;
    }
    if (r.params.as) continue;
    if (JSONISH.has(r.type)) return { kind: 'plain' };
  }
  return { kind: 'none' };
}

export function contentTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}
