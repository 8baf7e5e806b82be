/**
 * Places the map with elkjs: the laptop on top, services below it, the nodes (with their pods packed inside) at the
 * bottom. Only the structure feeds the layout (names, which pods sit where, how many ports), never statuses or
 * counters, and everything is sorted by name with ELK told to keep model order, so the map does not jump as values
 * change and moves little as pods come and go.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { ClusterSnapshot } from '../../../src-main/contract/views.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MapLayout {
  width: number;
  height: number;
  laptop: Box;
  nodes: Record<string, Box>;
  /** key `namespace/name`, absolute coordinates */
  pods: Record<string, Box>;
  /** key `namespace/name` */
  services: Record<string, Box>;
}

export const POD_SIZE = { width: 230, height: 62 };
/** The smallest zoom the map fits itself to; below it the map scrolls. */
export const MIN_SCALE = 0.6;
export const LAPTOP_SIZE = { width: 150, height: 52 };
const NODE_PADDING = 10;
const NODE_MIN_WIDTH = POD_SIZE.width + 2 * NODE_PADDING;
const SERVICE_WIDTH = 250;
const ROW = 16;

/** Title line, IP line, CIDR line, then one row per listening port (see NodeBox.svelte). */
export function nodeHeaderHeight(portCount: number): number {
  return 64 + Math.max(1, portCount) * ROW + 8;
}

export function serviceHeight(portCount: number): number {
  return 62 + Math.max(1, portCount) * ROW;
}

const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);
const key = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`;

/** The part of a snapshot the layout depends on; equal keys give equal layouts. */
export function structureKey(snapshot: ClusterSnapshot): string {
  const nodes = [...snapshot.nodes].sort(byName).map((n) => [n.name, n.ports.length]);
  const pods = snapshot.pods.filter((p) => p.node).map((p) => `${p.node}:${key(p)}`).sort();
  const services = snapshot.services.map((s) => `${key(s)}:${s.ports.length}`).sort();
  return JSON.stringify([nodes, pods, services]);
}

export function buildGraph(snapshot: ClusterSnapshot): ElkNode {
  const nodes = [...snapshot.nodes].sort(byName);
  const nodeNames = new Set(nodes.map((n) => n.name));
  const services = [...snapshot.services].sort((a, b) => key(a).localeCompare(key(b)));
  const children: ElkNode[] = [
    { id: 'laptop', ...LAPTOP_SIZE, layoutOptions: { 'elk.partitioning.partition': '0' } },
    ...services.map((s) => ({
      id: `svc:${key(s)}`,
      width: SERVICE_WIDTH,
      height: serviceHeight(s.ports.length),
      layoutOptions: { 'elk.partitioning.partition': '1' },
    })),
    ...nodes.map((n) => {
      const header = nodeHeaderHeight(n.ports.length);
      const pods = snapshot.pods
        .filter((p) => p.node === n.name)
        .sort((a, b) => key(a).localeCompare(key(b)));
      return {
        id: `node:${n.name}`,
        // Pods in one column, in name order: a layered layout running RIGHT puts unconnected nodes in one layer,
        // which is a column, so a pod coming or going shifts only the pods below it.
        layoutOptions: {
          'elk.partitioning.partition': '2',
          'elk.algorithm': 'layered',
          'elk.direction': 'RIGHT',
          'elk.padding': `[top=${header},left=${NODE_PADDING},bottom=${NODE_PADDING},right=${NODE_PADDING}]`,
          'elk.spacing.nodeNode': '8',
          'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
          'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
          'elk.nodeSize.constraints': 'MINIMUM_SIZE',
          'elk.nodeSize.minimum': `(${NODE_MIN_WIDTH}, ${header + POD_SIZE.height + 2 * NODE_PADDING})`,
        },
        children: pods.map((p) => ({ id: `pod:${key(p)}`, ...POD_SIZE })),
      } satisfies ElkNode;
    }),
  ];
  // Layout-only edges (the map draws its own lines): they force the three rows laptop -> services -> nodes, which
  // partitioning alone does not guarantee. Every node hangs off the same one box, so which services point at which
  // node (endpoints come and go) never reorders the nodes: they stay in name order.
  const edges = [];
  const anchor = services.length ? `svc:${key(services[0])}` : 'laptop';
  for (const s of services) edges.push({ id: `e:laptop:${key(s)}`, sources: ['laptop'], targets: [`svc:${key(s)}`] });
  for (const n of nodes) edges.push({ id: `e:${anchor}:${n.name}`, sources: [anchor], targets: [`node:${n.name}`] });
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.partitioning.activate': 'true',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children,
    edges,
  };
}

function box(n: ElkNode, dx = 0, dy = 0): Box {
  return { x: (n.x ?? 0) + dx, y: (n.y ?? 0) + dy, width: n.width ?? 0, height: n.height ?? 0 };
}

const elk = new ELK();

export async function layoutCluster(snapshot: ClusterSnapshot): Promise<MapLayout> {
  const result = await elk.layout(buildGraph(snapshot));
  const layout: MapLayout = {
    width: result.width ?? 0,
    height: result.height ?? 0,
    laptop: { x: 0, y: 0, ...LAPTOP_SIZE },
    nodes: {},
    pods: {},
    services: {},
  };
  for (const child of result.children ?? []) {
    if (child.id === 'laptop') layout.laptop = box(child);
    else if (child.id.startsWith('svc:')) layout.services[child.id.slice(4)] = box(child);
    else if (child.id.startsWith('node:')) {
      const nodeBox = box(child);
      layout.nodes[child.id.slice(5)] = nodeBox;
      for (const pod of child.children ?? []) layout.pods[pod.id.slice(4)] = box(pod, nodeBox.x, nodeBox.y);
    }
  }
  return layout;
}

export function center(b: Box): { x: number; y: number } {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}
