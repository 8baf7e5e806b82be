/**
 * Where a shell runs (a node, a container of a pod, or the learner's laptop outside the cluster) and what that place
 * sees: its origin on the virtual network, its resolv.conf and /etc/hosts, the env a kubelet gives the container.
 */
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { byKind } from '../../api/resources.ts';
import type { Cluster } from '../../cluster/cluster.ts';
import type { Origin } from '../../cluster/network.ts';
import type { NodeHandle } from '../../cluster/node-handle.ts';
import { podResolvConf, type ResolvConf } from '../../net/dns/search.ts';

export const LAPTOP_HOSTNAME = 'laptop';

/** A pod place's `shell` is the program exec'd to read the commands (`bash`, `/bin/sh`); the image's sh by default. */
export type ShellPlace = { kind: 'node'; node: string } | { kind: 'pod'; namespace: string; name: string; container?: string; shell?: string } | { kind: 'laptop' };

/** How a command opens a nested session (`ssh`, `kubectl exec -it`); provided by the terminal that runs the shell. */
export interface SessionHost {
  /**
   * Runs an interactive session at `place` in this terminal until it exits; resolves to its exit status. `as` is the
   * host name the client was given (`ssh 192.168.56.11`), for its messages.
   */
  nest?(place: ShellPlace, as?: string): Promise<number>;
  /** Runs one command line non-interactively at `place` (interrupted when `signal` aborts). */
  runAt(place: ShellPlace, line: string, signal?: AbortSignal): Promise<{ status: number; stdout: string; stderr: string }>;
  /** `kubectl exec <pod> -- argv...` without a terminal: the program runs in the container, `stdin` is its input. */
  exec?(place: ShellPlace & { kind: 'pod' }, argv: string[], stdin?: string, signal?: AbortSignal): Promise<{ status: number; stdout: string; stderr: string }>;
}

export const CLUSTER_DNS = '10.96.0.10';
/** systemd-resolved's stub on an Ubuntu kubeadm node: it forwards upstream and knows nothing of cluster.local. */
export const NODE_STUB_RESOLVER = '127.0.0.53';

export function originOf(place: ShellPlace): Origin {
  if (place.kind === 'laptop') return 'laptop';
  return place.kind === 'node' ? { node: place.node } : { pod: { namespace: place.namespace, name: place.name } };
}

export function getPod(cluster: Cluster, namespace: string, name: string): Pod | undefined {
  return cluster.registry.tryGet(byKind('Pod'), namespace, name) as unknown as Pod | undefined;
}

/** The node a place lives on (a pod's node), or undefined for an unscheduled pod, a removed node and the laptop. */
export function nodeOf(cluster: Cluster, place: ShellPlace): NodeHandle | undefined {
  if (place.kind === 'laptop') return undefined;
  const name = place.kind === 'node' ? place.node : getPod(cluster, place.namespace, place.name)?.spec?.nodeName;
  return name ? cluster.nodes().find((h) => h.name === name) : undefined;
}

export function hostnameOf(cluster: Cluster, place: ShellPlace): string {
  if (place.kind === 'laptop') return LAPTOP_HOSTNAME;
  if (place.kind === 'node') return place.node;
  return getPod(cluster, place.namespace, place.name)?.spec?.hostname ?? place.name;
}

export function resolvConfOf(cluster: Cluster, place: ShellPlace): ResolvConf {
  if (place.kind === 'pod') {
    const pod = getPod(cluster, place.namespace, place.name);
    const policy = pod?.spec?.dnsPolicy ?? 'ClusterFirst';
    if (policy === 'ClusterFirst' || (policy === 'ClusterFirstWithHostNet' && pod?.spec?.hostNetwork)) return podResolvConf(place.namespace, CLUSTER_DNS);
  }
  return { nameservers: [NODE_STUB_RESOLVER], search: ['.'], ndots: 1 };
}

export function resolvConfText(cluster: Cluster, place: ShellPlace): string {
  const c = resolvConfOf(cluster, place);
  if (c.nameservers[0] === NODE_STUB_RESOLVER) {
    return [
      '# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).',
      '# Do not edit.',
      '#',
      '# This file might be symlinked as /etc/resolv.conf. If you\'re looking at',
      '# /etc/resolv.conf and seeing this text, you have followed the symlink.',
      '#',
      '# This is a dynamic resolv.conf file for connecting local clients to the',
      '# internal DNS stub resolver of systemd-resolved. This file lists all',
      '# configured search domains.',
      '#',
      '# Run "resolvectl status" to see details about the uplink DNS servers',
      '# currently in use.',
      '#',
      '# Third party programs should typically not access this file directly, but only',
      '# through the symlink at /etc/resolv.conf. To manage man:resolv.conf(5) in a',
      '# different way, replace this symlink by a static file or a different symlink.',
      '#',
      '# See man:systemd-resolved.service(8) for details about the supported modes of',
      '# operation for /etc/resolv.conf.',
      '',
      'nameserver 127.0.0.53',
      'options edns0 trust-ad',
      'search .',
      '',
    ].join('\n');
  }
  return `search ${c.search.join(' ')}\nnameserver ${c.nameservers.join('\nnameserver ')}\noptions ndots:${c.ndots}\n`;
}

/**
 * /etc/hosts: on nodes the lab's hosts file lists every node (how `ssh worker1` resolves); in pods the kubelet's; on
 * the laptop Ubuntu's default (the nodes are reached by address, as the lab's map shows them).
 */
export function hostsEntries(cluster: Cluster, place: ShellPlace): Array<[string, string[]]> {
  if (place.kind === 'laptop') return [['127.0.0.1', ['localhost']], ['127.0.1.1', [LAPTOP_HOSTNAME]]];
  if (place.kind === 'node') {
    return [['127.0.0.1', ['localhost']], ['127.0.1.1', [place.node]], ...cluster.nodes().map((h): [string, string[]] => [h.plan.ip, [h.name]])];
  }
  const pod = getPod(cluster, place.namespace, place.name);
  const entries: Array<[string, string[]]> = [['127.0.0.1', ['localhost']], ['::1', ['localhost', 'ip6-localhost', 'ip6-loopback']]];
  if (pod?.status?.podIP) entries.push([pod.status.podIP, [hostnameOf(cluster, place)]]);
  return entries;
}

export function hostsText(cluster: Cluster, place: ShellPlace): string {
  if (place.kind === 'node' || place.kind === 'laptop') {
    return hostsEntries(cluster, place).map(([ip, names]) => `${ip}\t${names.join(' ')}`).join('\n') +
      '\n\n# The following lines are desirable for IPv6 capable hosts\n::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n';
  }
  const pod = getPod(cluster, place.namespace, place.name);
  const lines = ['# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters'];
  if (pod?.status?.podIP) lines.push(`${pod.status.podIP}\t${hostnameOf(cluster, place)}`);
  return lines.join('\n') + '\n';
}

/**
 * The service links the kubelet injects (pkg/kubelet/envvars/envvars.go): every service of the pod's namespace with a
 * cluster IP, plus `kubernetes` from default, unless enableServiceLinks is false (then only `kubernetes`).
 */
export function serviceEnv(cluster: Cluster, namespace: string, links = true): Record<string, string> {
  const all = cluster.registry.list(byKind('Service')).items as unknown as Service[];
  const picked = all.filter((s) => {
    const ip = s.spec?.clusterIP;
    if (!ip || ip === 'None') return false;
    if (s.metadata?.namespace === 'default' && s.metadata?.name === 'kubernetes') return true;
    return links && s.metadata?.namespace === namespace;
  });
  const env: Record<string, string> = {};
  for (const s of picked) {
    const name = s.metadata!.name!.toUpperCase().replace(/-/g, '_');
    const ip = s.spec!.clusterIP!;
    const ports = s.spec?.ports ?? [];
    if (!ports.length) continue;
    env[`${name}_SERVICE_HOST`] = ip;
    env[`${name}_SERVICE_PORT`] = String(ports[0]!.port);
    for (const p of ports) if (p.name) env[`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`] = String(p.port);
    const proto = (ports[0]!.protocol ?? 'TCP').toLowerCase();
    env[`${name}_PORT`] = `${proto}://${ip}:${ports[0]!.port}`;
    for (const p of ports) {
      const pr = (p.protocol ?? 'TCP').toLowerCase();
      const base = `${name}_PORT_${p.port}_${pr.toUpperCase()}`;
      env[base] = `${pr}://${ip}:${p.port}`;
      env[`${base}_PROTO`] = pr;
      env[`${base}_PORT`] = String(p.port);
      env[`${base}_ADDR`] = ip;
    }
  }
  return env;
}
