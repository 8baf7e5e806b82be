/** `kubectl describe node` (describe.go describeNode, describeNodeResource), given the non-terminated pods and lease. */
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { rfc1123z, translateTimestampSince } from '../duration.ts';
import { findNodeRoles } from '../table/cells.ts';
import { addQuantity, milliValue, parseQuantity, quantityString, value, type Quantity } from './quantity.ts';
import { describeEvents, LEVEL_0, LEVEL_1, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from './writer.ts';

type ResourceTotals = Record<string, Quantity>;

/** resourcehelper.PodRequestsAndLimits: sum of containers, raised to any larger init container. */
function podRequestsAndLimits(pod: Pod): { req: ResourceTotals; lim: ResourceTotals } {
  const sum = (field: 'requests' | 'limits') => {
    const total: ResourceTotals = {};
    for (const c of pod.spec?.containers ?? []) {
      for (const [k, q] of Object.entries(c.resources?.[field] ?? {})) total[k] = addQuantity(total[k], parseQuantity(q));
    }
    for (const c of pod.spec?.initContainers ?? []) {
      for (const [k, q] of Object.entries(c.resources?.[field] ?? {})) {
        const p = parseQuantity(q);
        if (!total[k] || p.milli > total[k].milli) total[k] = p;
      }
    }
    for (const [k, q] of Object.entries(pod.spec?.overhead ?? {})) total[k] = addQuantity(total[k], parseQuantity(q));
    return total;
  };
  return { req: sum('requests'), lim: sum('limits') };
}

const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.trunc((part / whole) * 100));

function describeNodeResource(pods: Pod[], node: Node, w: PrefixWriter, now: number): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const alloc = Object.keys(node.status?.allocatable ?? {}).length > 0 ? node.status!.allocatable! : (node.status?.capacity ?? {});
  const allocCpu = milliValue(parseQuantity(alloc.cpu));
  const allocMem = value(parseQuantity(alloc.memory));
  const allocEph = value(parseQuantity(alloc['ephemeral-storage']));
  const totals = { req: {} as ResourceTotals, lim: {} as ResourceTotals };
  for (const pod of pods) {
    const { req, lim } = podRequestsAndLimits(pod);
    for (const [k, q] of Object.entries(req)) totals.req[k] = addQuantity(totals.req[k], q);
    for (const [k, q] of Object.entries(lim)) totals.lim[k] = addQuantity(totals.lim[k], q);
    w.write(
      LEVEL_1,
      `${pod.metadata?.namespace ?? ''}\t${pod.metadata?.name ?? ''}\t\t` +
        `${quantityString(req.cpu)} (${pct(milliValue(req.cpu), allocCpu)}%)\t${quantityString(lim.cpu)} (${pct(milliValue(lim.cpu), allocCpu)}%)\t` +
        `${quantityString(req.memory)} (${pct(value(req.memory), allocMem)}%)\t${quantityString(lim.memory)} (${pct(value(lim.memory), allocMem)}%)\t` +
        `${translateTimestampSince(pod.metadata?.creationTimestamp, now)}\n`,
    );
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  const line = (name: string, milli: boolean, whole: number) => {
    const r = totals.req[name];
    const l = totals.lim[name];
    const get = milli ? milliValue : value;
    w.write(LEVEL_1, `${name}\t${quantityString(r)} (${pct(get(r), whole)}%)\t${quantityString(l)} (${pct(get(l), whole)}%)\n`);
  };
  line('cpu', true, allocCpu);
  line('memory', false, allocMem);
  line('ephemeral-storage', false, allocEph);
  const hugePages = Object.keys(alloc).filter((r) => r.startsWith('hugepages-')).sort();
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods']);
  const ext = Object.keys(alloc).filter((r) => !r.startsWith('hugepages-') && !standard.has(r) && !r.startsWith('requests.') && !r.startsWith('limits.')).sort();
  for (const r of [...hugePages, ...ext]) {
    const whole = value(parseQuantity(alloc[r]));
    if (hugePages.includes(r)) line(r, false, whole);
    else w.write(LEVEL_1, `${r}\t${quantityString(totals.req[r])}\t${quantityString(totals.lim[r])}\n`);
  }
}

export function describeNode(node: Node, nonTerminatedPods: Pod[] | undefined, events: Event[] | undefined, lease: Lease | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${node.metadata?.name ?? ''}\n`);
  const roles = findNodeRoles(node);
  w.write(LEVEL_0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', node.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', node.metadata?.annotations);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(node.metadata?.creationTimestamp)}\n`);
  const taints = node.spec?.taints ?? [];
  w.write(LEVEL_0, 'Taints:\t');
  if (taints.length === 0) w.writeLine('<none>');
  taints.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${t.key}${t.value ? '=' + t.value : ''}:${t.effect}\n`);
  });
  w.write(LEVEL_0, `Unschedulable:\t${node.spec?.unschedulable ? 'true' : 'false'}\n`);
  if (lease) {
    w.write(LEVEL_0, 'Lease:\n');
    w.write(LEVEL_1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(LEVEL_1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
    w.write(LEVEL_1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
  }
  const conditions = node.status?.conditions ?? [];
  if (conditions.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions) {
      w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(LEVEL_0, 'Addresses:\n');
  for (const a of node.status?.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
  const printResources = (list: Record<string, string>) => {
    for (const r of Object.keys(list).sort()) w.write(LEVEL_0, `  ${r}:\t${quantityString(parseQuantity(list[r]))}\n`);
  };
  if (Object.keys(node.status?.capacity ?? {}).length) {
    w.write(LEVEL_0, 'Capacity:\n');
    printResources(node.status!.capacity!);
  }
  if (Object.keys(node.status?.allocatable ?? {}).length) {
    w.write(LEVEL_0, 'Allocatable:\n');
    printResources(node.status!.allocatable!);
  }
  const info = node.status?.nodeInfo;
  w.write(LEVEL_0, 'System Info:\n');
  w.write(LEVEL_0, `  Machine ID:\t${info?.machineID ?? ''}\n`);
  w.write(LEVEL_0, `  System UUID:\t${info?.systemUUID ?? ''}\n`);
  w.write(LEVEL_0, `  Boot ID:\t${info?.bootID ?? ''}\n`);
  w.write(LEVEL_0, `  Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
  w.write(LEVEL_0, `  OS Image:\t${info?.osImage ?? ''}\n`);
  w.write(LEVEL_0, `  Operating System:\t${info?.operatingSystem ?? ''}\n`);
  w.write(LEVEL_0, `  Architecture:\t${info?.architecture ?? ''}\n`);
  w.write(LEVEL_0, `  Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
  w.write(LEVEL_0, `  Kubelet Version:\t${info?.kubeletVersion ?? ''}\n`);
  w.write(LEVEL_0, `  Kube-Proxy Version:\t${info?.kubeProxyVersion ?? ''}\n`);
  if (node.spec?.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) w.write(LEVEL_0, `ProviderID:\t${node.spec.providerID}\n`);
  if (nonTerminatedPods) describeNodeResource(nonTerminatedPods, node, w, now);
  else w.write(LEVEL_0, 'Pods:\tnot authorized\n');
  describeEvents(events, w, now);
  return w.done();
}
