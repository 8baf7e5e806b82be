/** Builds the renderer's view of the cluster (contract/views.ts) from API objects. */
import { byKind } from '../api/resources.ts';
import type { EndpointSlice, Node, Pod, Service } from '../api/types.ts';
import type { Cluster } from '../cluster/cluster.ts';
import type { ClusterSnapshot, NodeView, PodView, PortEntry, ServiceView } from '../contract/views.ts';
import { LAPTOP_IP } from '../net/addresses.ts';

/** As `kubectl get nodes` prints it: a Ready condition of False or Unknown is NotReady; no condition at all is Unknown. */
function nodeStatus(n: Node): NodeView['status'] {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready) return 'Unknown';
  return ready.status === 'True' ? 'Ready' : 'NotReady';
}

/** The STATUS column of `kubectl get pods`, condensed (printers have the full rules). */
function podStatusText(p: Pod): string {
  if (p.metadata?.deletionTimestamp) return 'Terminating';
  for (const cs of p.status?.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) return cs.state.waiting.reason;
    if (cs.state?.terminated?.reason) return cs.state.terminated.reason;
  }
  return p.status?.reason ?? p.status?.phase ?? 'Pending';
}

function servicePorts(services: Service[]): Map<number, string> {
  const m = new Map<number, string>();
  for (const s of services) for (const p of s.spec?.ports ?? []) if (p.nodePort) m.set(p.nodePort, `kube-proxy (NodePort ${s.metadata?.namespace}/${s.metadata?.name})`);
  return m;
}

export function buildSnapshot(cluster: Cluster, apiServer: ClusterSnapshot['apiServer'], loadBalancerEnabled: boolean): ClusterSnapshot {
  const reg = cluster.registry;
  const list = <T>(kind: string) => reg.list(byKind(kind)).items as unknown as T[];
  const nodes = list<Node>('Node');
  const pods = list<Pod>('Pod');
  const services = list<Service>('Service');
  const slices = list<EndpointSlice>('EndpointSlice');
  const nodePorts = servicePorts(services);
  const podByIP = new Map(pods.filter((p) => p.status?.podIP).map((p) => [p.status!.podIP!, p]));

  const nodeViews: NodeView[] = nodes.map((n) => {
    const ports: PortEntry[] = [{ port: 10250, protocol: 'TCP', owner: 'kubelet' }];
    for (const [port, owner] of nodePorts) ports.push({ port, protocol: 'TCP', owner });
    for (const p of pods) {
      if (p.spec?.nodeName !== n.metadata?.name) continue;
      for (const c of p.spec?.containers ?? [])
        for (const cp of c.ports ?? [])
          if (cp.hostPort) ports.push({ port: cp.hostPort, protocol: (cp.protocol ?? 'TCP') as 'TCP', owner: `hostPort ${p.metadata?.namespace}/${p.metadata?.name}` });
    }
    const handle = cluster.nodes().find((h) => h.name === n.metadata?.name);
    return {
      name: n.metadata!.name!,
      roles: Object.keys(n.metadata?.labels ?? {})
        .filter((l) => l.startsWith('node-role.kubernetes.io/'))
        .map((l) => l.slice('node-role.kubernetes.io/'.length))
        .sort(),
      status: nodeStatus(n),
      running: handle?.running ?? false,
      unschedulable: n.spec?.unschedulable === true,
      ip: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? handle?.plan.ip ?? '',
      podCIDR: n.spec?.podCIDR ?? '',
      ports: ports.sort((a, b) => a.port - b.port),
    };
  });

  const podViews: PodView[] = pods.map((p) => ({
    namespace: p.metadata!.namespace!,
    name: p.metadata!.name!,
    node: p.spec?.nodeName ?? null,
    ip: p.status?.podIP ?? null,
    phase: p.status?.phase ?? 'Pending',
    status: podStatusText(p),
    ready: `${(p.status?.containerStatuses ?? []).filter((c) => c.ready).length}/${p.spec?.containers?.length ?? 0}`,
    restarts: (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
    labels: { ...(p.metadata?.labels ?? {}) },
    owner: p.metadata?.ownerReferences?.[0] ? `${p.metadata.ownerReferences[0].kind}/${p.metadata.ownerReferences[0].name}` : null,
    ...(p.spec?.nodeName ? {} : { scheduling: schedulingOf(p) }),
  }));

  const serviceViews: ServiceView[] = services.map((s) => {
    const mine = slices.filter(
      (sl) => sl.metadata?.namespace === s.metadata?.namespace && sl.metadata?.labels?.['kubernetes.io/service-name'] === s.metadata?.name,
    );
    const endpoints = mine.flatMap((sl) =>
      (sl.endpoints ?? []).flatMap((e) =>
        e.addresses.map((ip) => ({
          ip,
          port: sl.ports?.[0]?.port ?? 0,
          pod: e.targetRef?.name ?? podByIP.get(ip)?.metadata?.name ?? null,
          node: e.nodeName ?? podByIP.get(ip)?.spec?.nodeName ?? null,
          ready: e.conditions?.ready !== false,
        })),
      ),
    );
    const lbIPs = (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean);
    return {
      namespace: s.metadata!.namespace!,
      name: s.metadata!.name!,
      type: s.spec?.type ?? 'ClusterIP',
      clusterIP: s.spec?.clusterIP ?? '',
      externalIPs: [...(s.spec?.externalIPs ?? []), ...lbIPs],
      ports: (s.spec?.ports ?? []).map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: String(p.targetPort ?? p.port),
        nodePort: p.nodePort,
        protocol: p.protocol ?? 'TCP',
      })),
      endpoints,
      sessionAffinity: s.spec?.sessionAffinity ?? 'None',
    };
  });

  return {
    nodes: nodeViews,
    pods: podViews,
    services: serviceViews,
    clock: { now: cluster.clock.now(), speed: 'speed' in cluster.clock ? (cluster.clock as { speed: number }).speed : 0 },
    apiServer,
    loadBalancerEnabled,
    laptop: { ip: LAPTOP_IP },
  };
}

/** An unscheduled pod's PodScheduled condition as `reason: message`, or nothing before the scheduler saw it. */
function schedulingOf(p: Pod): string | undefined {
  const c = p.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False');
  if (!c) return undefined;
  return [c.reason, c.message].filter(Boolean).join(': ') || undefined;
}
