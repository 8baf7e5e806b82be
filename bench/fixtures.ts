/** The seed's manifests, as objects. */
import type { KubeObject } from '../src-main/api/types.ts';

export function seedDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hostname-server', labels: { app: 'hostname-server' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'hostname-server' } },
      template: {
        metadata: { labels: { app: 'hostname-server' } },
        spec: { containers: [{ name: 'hostname-server', image: 'takytaky/hostname', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

export function seedClusterIPService(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'clusterip-hostname-service' },
    spec: { type: 'ClusterIP', selector: { app: 'hostname-server' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] },
  };
}
