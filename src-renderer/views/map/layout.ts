/**
 * Places the map: elkjs lays out the laptop on top, services below it and the nodes at the bottom; the pods inside a
 * node are a plain grid in name order, sized from the node's pod count (ELK laying out hundreds of pods took seconds
 * on the page's main thread; the grid is arithmetic). Only the structure feeds the layout (names, which pods sit
 * where, how many ports), never statuses or counters, and everything is sorted by name with ELK told to keep model
 * order, so the map does not jump as values change and moves little as pods come and go.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { ClusterSnapshot, PodView } from '../../../src-main/contract/views.ts';
import { nodeTiles, type Tile } from './groups.ts';

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
  /** key `namespace/name`, absolute coordinates; a pod shown in a group has the group's box */
  pods: Record<string, Box>;
  /** key `node|group:namespace/Kind/name` (groups.ts), absolute coordinates */
  groups: Record<string, Box>;
  /** key `namespace/name` */
  services: Record<string, Box>;
}

export const POD_SIZE = { width: 230, height: 62 };
/** The smallest zoom the map fits itself to; below it the map scrolls. */
export const MIN_SCALE = 0.6;
export const LAPTOP_SIZE = { width: 150, height: 52 };
const NODE_PADDING = 10;
const POD_GAP = 8;
const SERVICE_WIDTH = 250;
const ROW = 16;

/** Title line, IP line, CIDR line, then one row per listening port (see NodeBox.svelte). */
export function nodeHeaderHeight(portCount: number): number {
  return 64 + Math.max(1, portCount) * ROW + 8;
}

export function serviceHeight(portCount: number): number {
  return 62 + Math.max(1, portCount) * ROW;
}

/**
 * Pod columns in a node: one up to 8 pods (a pod coming shifts only the pods below it), then a roughly square grid,
 * so 100 pods are 5 x 20, not one column 7,000 px tall. The count only changes at 9, 17, 37, 65, 101... pods.
 */
export function podColumns(count: number): number {
  return count <= 8 ? 1 : Math.ceil(Math.sqrt(count / 4));
}

/** Where the i-th pod (name order) of a node with `count` pods sits, relative to the node's top-left corner. */
export function podSlot(i: number, count: number, header: number): Box {
  const columns = podColumns(count);
  return {
    x: NODE_PADDING + (i % columns) * (POD_SIZE.width + POD_GAP),
    y: header + Math.floor(i / columns) * (POD_SIZE.height + POD_GAP),
    ...POD_SIZE,
  };
}

export function nodeSize(count: number, portCount: number): { width: number; height: number } {
  const columns = podColumns(count);
  const rows = Math.max(1, Math.ceil(count / columns));
  return {
    width: 2 * NODE_PADDING + columns * POD_SIZE.width + (columns - 1) * POD_GAP,
    height: nodeHeaderHeight(portCount) + rows * POD_SIZE.height + (rows - 1) * POD_GAP + NODE_PADDING,
  };
}

const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);
const key = (o: { namespace: string; name: string }): string => `${o.namespace}/${o.name}`;

/** Each node's pods (scheduled ones). */
export function podsOnNodes(pods: readonly PodView[]): Map<string, PodView[]> {
  const out = new Map<string, PodView[]>();
  for (const p of pods) {
    if (!p.node) continue;
    let list = out.get(p.node);
    if (!list) out.set(p.node, (list = []));
    list.push(p);
  }
  return out;
}

/** Each node's tiles (groups.ts): single pods, or an owner's pods as one box. */
function tilesByNode(snapshot: ClusterSnapshot): Map<string, Tile[]> {
  return new Map([...podsOnNodes(snapshot.pods)].map(([node, pods]) => [node, nodeTiles(pods)]));
}

/** The part of a snapshot the layout depends on; equal keys give equal layouts. */
export function structureKey(snapshot: ClusterSnapshot): string {
  const nodes = [...snapshot.nodes].sort(byName).map((n) => [n.name, n.ports.length]);
  const tiles = [...tilesByNode(snapshot)].flatMap(([node, list]) => list.map((t) => `${node}:${t.key}`)).sort();
  const services = snapshot.services.map((s) => `${key(s)}:${s.ports.length}`).sort();
  return JSON.stringify([nodes, tiles, services]);
}

export function buildGraph(snapshot: ClusterSnapshot, tiles = tilesByNode(snapshot)): ElkNode {
  const nodes = [...snapshot.nodes].sort(byName);
  const services = [...snapshot.services].sort((a, b) => key(a).localeCompare(key(b)));
  const children: ElkNode[] = [
    { id: 'laptop', ...LAPTOP_SIZE, layoutOptions: { 'elk.partitioning.partition': '0' } },
    ...services.map((s) => ({
      id: `svc:${key(s)}`,
      width: SERVICE_WIDTH,
      height: serviceHeight(s.ports.length),
      layoutOptions: { 'elk.partitioning.partition': '1' },
    })),
    ...nodes.map((n) => ({
      id: `node:${n.name}`,
      ...nodeSize(tiles.get(n.name)?.length ?? 0, n.ports.length),
      layoutOptions: { 'elk.partitioning.partition': '2' },
    })),
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

function box(n: ElkNode | Box, dx = 0, dy = 0): Box {
  return { x: (n.x ?? 0) + dx, y: (n.y ?? 0) + dy, width: n.width ?? 0, height: n.height ?? 0 };
}

const elk = new ELK();

export async function layoutCluster(snapshot: ClusterSnapshot): Promise<MapLayout> {
  const tiles = tilesByNode(snapshot);
  const result = await elk.layout(buildGraph(snapshot, tiles));
  const headers = new Map(snapshot.nodes.map((n) => [n.name, nodeHeaderHeight(n.ports.length)]));
  const layout: MapLayout = {
    width: result.width ?? 0,
    height: result.height ?? 0,
    laptop: { x: 0, y: 0, ...LAPTOP_SIZE },
    nodes: {},
    pods: {},
    groups: {},
    services: {},
  };
  for (const child of result.children ?? []) {
    if (child.id === 'laptop') layout.laptop = box(child);
    else if (child.id.startsWith('svc:')) layout.services[child.id.slice(4)] = box(child);
    else if (child.id.startsWith('node:')) {
      const name = child.id.slice(5);
      const nodeBox = box(child);
      layout.nodes[name] = nodeBox;
      const mine = tiles.get(name) ?? [];
      mine.forEach((tile, i) => {
        const b = box(podSlot(i, mine.length, headers.get(name) ?? 0), nodeBox.x, nodeBox.y);
        if (tile.kind === 'pod') layout.pods[tile.key] = b;
        else {
          layout.groups[`${name}|${tile.key}`] = b;
          for (const p of tile.pods) layout.pods[key(p)] = b;
        }
      });
    }
  }
  return layout;
}

export function center(b: Box): { x: number; y: number } {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}
