/** Geometry for the map's lines: service -> endpoint pods, laptop -> exposed services, and trace paths. */
import type { ClusterSnapshot, TraceSummary } from '../../../src-main/contract/views.ts';
import { type Box, center, type MapLayout } from './layout.ts';

export interface Point {
  x: number;
  y: number;
}

const bottom = (b: Box): Point => ({ x: b.x + b.width / 2, y: b.y + b.height });
const top = (b: Box): Point => ({ x: b.x + b.width / 2, y: b.y });

export function toPath(points: Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/** A pod key from a trace's pod field, which may be `namespace/name` or a bare name. */
export function findPodKey(snapshot: ClusterSnapshot, pod: string | null): string | null {
  if (!pod) return null;
  if (pod.includes('/')) return pod;
  const match = snapshot.pods.find((p) => p.name === pod);
  return match ? `${match.namespace}/${match.name}` : null;
}

function findServiceKey(snapshot: ClusterSnapshot, service: string | null): string | null {
  if (!service) return null;
  if (service.includes('/')) return service;
  const match = snapshot.services.find((s) => s.name === service);
  return match ? `${match.namespace}/${match.name}` : null;
}

export function tracePoints(trace: TraceSummary, snapshot: ClusterSnapshot, layout: MapLayout): Point[] {
  const points: Point[] = [];
  const fromPod = trace.from.kind === 'pod' ? findPodKey(snapshot, trace.from.name) : null;
  if (trace.from.kind === 'laptop') {
    points.push(bottom(layout.laptop));
    const entry = layout.nodes[trace.entryNode];
    if (entry && !trace.service) points.push(top(entry));
    else if (entry && snapshot.services.find((s) => trace.service?.endsWith(s.name))?.type !== 'ClusterIP') {
      points.push(top(entry));
    }
  } else if (fromPod && layout.pods[fromPod]) {
    points.push(center(layout.pods[fromPod]));
  } else if (layout.nodes[trace.from.name]) {
    points.push(top(layout.nodes[trace.from.name]));
  }
  const service = findServiceKey(snapshot, trace.service);
  if (service && layout.services[service]) points.push(center(layout.services[service]));
  const pod = findPodKey(snapshot, trace.pod);
  if (pod && layout.pods[pod]) points.push(center(layout.pods[pod]));
  else if (trace.podNode && layout.nodes[trace.podNode]) points.push(top(layout.nodes[trace.podNode]));
  return points;
}

export interface Line {
  id: string;
  d: string;
  kind: 'endpoint' | 'endpoint-notready' | 'exposed';
  service: string;
  pod?: string;
}

export function serviceLines(snapshot: ClusterSnapshot, layout: MapLayout): Line[] {
  const lines: Line[] = [];
  const drawn = new Set<string>();
  for (const s of snapshot.services) {
    const key = `${s.namespace}/${s.name}`;
    const box = layout.services[key];
    if (!box) continue;
    if (s.type === 'NodePort' || s.type === 'LoadBalancer') {
      lines.push({ id: `x:${key}`, d: toPath([bottom(layout.laptop), top(box)]), kind: 'exposed', service: key });
    }
    for (const e of s.endpoints) {
      const podKey = e.pod ? findPodKey(snapshot, e.pod.includes('/') ? e.pod : `${s.namespace}/${e.pod}`) : null;
      const podBox = podKey ? layout.pods[podKey] : undefined;
      if (!podBox) continue;
      // The pods of a group share its box: one line to it is enough.
      const to = `${key}|${podBox.x},${podBox.y}|${e.ready}`;
      if (drawn.has(to)) continue;
      drawn.add(to);
      lines.push({
        id: `e:${key}:${e.ip}:${e.port}`,
        d: toPath([bottom(box), top(podBox)]),
        kind: e.ready ? 'endpoint' : 'endpoint-notready',
        service: key,
        pod: podKey ?? undefined,
      });
    }
  }
  return lines;
}
