/** A kubeconfig for the embedded cluster: cluster, user with the bearer token, context `kubelab`, namespace default. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export function kubeconfigYaml(server: string, token: string, namespace = 'default'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubelab', cluster: { server } }],
    users: [{ name: 'kubelab-admin', user: { token } }],
    contexts: [{ name: 'kubelab', context: { cluster: 'kubelab', user: 'kubelab-admin', namespace } }],
    'current-context': 'kubelab',
    preferences: {},
  });
}

export function writeKubeconfig(path: string, server: string, token: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, kubeconfigYaml(server, token), { mode: 0o600 });
  renameSync(tmp, path);
}
