/** What the renderer sees of the cluster: plain data, no Kubernetes types, so the renderer bundles nothing of ours. */
export interface PortEntry {
  port: number;
  protocol: 'TCP' | 'UDP';
  /** Who listens: `kubelet`, `kube-proxy (NodePort default/web)`, `hostPort default/pod`. */
  owner: string;
}

export interface NodeView {
  name: string;
  roles: string[];
  status: 'Ready' | 'NotReady' | 'Unknown';
  /** False once the node's worker thread is stopped. */
  running: boolean;
  unschedulable: boolean;
  ip: string;
  podCIDR: string;
  ports: PortEntry[];
}

export interface PodView {
  namespace: string;
  name: string;
  node: string | null;
  ip: string | null;
  phase: string;
  /** The STATUS column as kubectl prints it. */
  status: string;
  ready: string;
  restarts: number;
  labels: Record<string, string>;
  owner: string | null;
  /** Why the pod is not on a node: its PodScheduled condition (`Unschedulable: 0/3 nodes are available: ...`). */
  scheduling?: string;
}

export interface ServicePortView {
  name?: string;
  port: number;
  targetPort: string;
  nodePort?: number;
  protocol: string;
}

export interface EndpointView {
  ip: string;
  port: number;
  pod: string | null;
  node: string | null;
  ready: boolean;
}

export interface ServiceView {
  namespace: string;
  name: string;
  type: string;
  clusterIP: string;
  externalIPs: string[];
  ports: ServicePortView[];
  endpoints: EndpointView[];
  sessionAffinity: string;
}

export interface ClusterSnapshot {
  nodes: NodeView[];
  pods: PodView[];
  services: ServiceView[];
  clock: { now: number; speed: number };
  apiServer: { url: string; kubeconfig: string } | null;
  loadBalancerEnabled: boolean;
  laptop: { ip: string };
}

export interface Counters {
  connections: number;
  packetsIn: number;
  packetsOut: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * One ~10 Hz frame of traffic counters: totals since each node worker started (the renderer diffs them), but only the
 * entries that changed since the previous frame. A subscriber's first frame carries every entry, and so does one
 * frame every few seconds while traffic flows (`full`), so a frame a slow socket skipped is made good.
 */
export interface TrafficFrame {
  now: number;
  /** True when the frame carries every entry, not only the changed ones. */
  full?: boolean;
  nodes: Record<string, Counters>;
  /** key `namespace/name` */
  pods: Record<string, { requests: number }>;
  services: Record<string, { connections: number }>;
  /** The latest traces finished since the previous frame, at most MAX_TRACES_PER_FRAME of them. */
  traces: TraceSummary[];
  /** How many more traces finished since the previous frame and were not sent. */
  tracesDropped?: number;
}

/** Under load (~1,000 connections/s) a frame would carry ~100 traces; the map animates and lists only a few. */
export const MAX_TRACES_PER_FRAME = 4;

export interface TraceSummary {
  id: number;
  from: { kind: 'node' | 'pod' | 'laptop'; name: string; ip: string };
  to: { ip: string; port: number };
  entryNode: string;
  service: string | null;
  pod: string | null;
  podNode: string | null;
  result: 'ok' | 'refused' | 'timeout' | 'no-route' | 'reset';
}

export interface TraceStep {
  node: string;
  table: 'nat' | 'filter';
  chain: string;
  rule: string;
  action: string;
}

export interface ConnectionTrace extends TraceSummary {
  steps: TraceStep[];
  dnat: { ip: string; port: number } | null;
  snat: string | null;
  crossed: string[];
  startedAt: number;
  durationMs: number;
}

export interface NatRuleView {
  chain: string;
  index: number;
  packets: number;
  bytes: number;
  text: string;
}

/** One iptables rule (or chain header, index 0) as `iptables-save -c` prints it, with its counters. */
export interface RuleLine {
  table: 'nat' | 'filter';
  chain: string;
  index: number;
  packets: number;
  bytes: number;
  text: string;
}

/** `service.rules`: what kube-proxy wrote for one Service, node by node (a stopped node has no rules to show). */
export interface ServiceRules {
  namespace: string;
  name: string;
  nodes: Array<{ node: string; running: boolean; rules: RuleLine[]; error?: string }>;
}
