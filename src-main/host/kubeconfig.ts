/** A kubeconfig for the embedded cluster: cluster (with its CA), a user with the bearer token, context `kubelab`. */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export function kubeconfigYaml(server: string, token: string, caPem?: string, namespace = 'default'): string {
  const cluster: Record<string, string> = { server };
  if (caPem) cluster['certificate-authority-data'] = Buffer.from(caPem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubelab', cluster }],
    users: [{ name: 'kubelab-admin', user: { token } }],
    contexts: [{ name: 'kubelab', context: { cluster: 'kubelab', user: 'kubelab-admin', namespace } }],
    'current-context': 'kubelab',
    preferences: {},
  });
}

export function writeKubeconfig(path: string, server: string, token: string, caPem?: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, kubeconfigYaml(server, token, caPem), { mode: 0o600 });
  // The mode applies only to a file it creates: a leftover .tmp keeps its own.
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** The admin.conf kubeadm copies to /root/.kube/config on the control plane, as the cluster shell shows it. */
export function nodeAdminKubeconfig(masterIP: string, caPem: string): string {
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': Buffer.from(caPem).toString('base64'), server: `https://${masterIP}:6443` }, name: 'kubernetes' }],
    contexts: [{ context: { cluster: 'kubernetes', user: 'kubernetes-admin' }, name: 'kubernetes-admin@kubernetes' }],
    'current-context': 'kubernetes-admin@kubernetes',
    kind: 'Config',
    preferences: {},
    users: [{ name: 'kubernetes-admin', user: { token: 'REDACTED' } }],
  });
}
