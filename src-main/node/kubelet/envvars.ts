/**
 * The environment the kubelet gives a container (pkg/kubelet/envvars/envvars.go, kubelet_pods.go
 * getServiceEnvVarMap/makeEnvironmentVariables): docker-link style variables for every Service with a cluster IP in
 * the pod's namespace while enableServiceLinks is true, and for `kubernetes` in default always; the container's own
 * `env` wins over a service variable of the same name, and `$(VAR)` in a value refers to either.
 */
import type { Container, EnvVar, Service } from 'kubernetes-types/core/v1';

const MASTER_NAMESPACE = 'default';
const MASTER_SERVICES = new Set(['kubernetes']);

/** makeEnvVariableName: upper case, dashes to underscores. */
const envName = (s: string) => s.toUpperCase().replace(/-/g, '_');

function hasClusterIP(s: Service): boolean {
  const ip = s.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/** FromServices for one Service, in upstream's order. */
export function serviceLinkVars(s: Service): Array<[string, string]> {
  const ports = s.spec?.ports ?? [];
  const ip = s.spec!.clusterIP!;
  const prefix = envName(s.metadata!.name!);
  if (!ports.length) return [];
  const out: Array<[string, string]> = [[`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(ports[0]!.port)]];
  for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  ports.forEach((p, i) => {
    const proto = (p.protocol || 'TCP').toLowerCase();
    const url = `${proto}://${ip}:${p.port}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const base = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push([base, url], [`${base}_PROTO`, proto], [`${base}_PORT`, String(p.port)], [`${base}_ADDR`, ip]);
  });
  return out;
}

/** getServiceEnvVarMap: the services a pod in `namespace` sees, by name. */
export function serviceEnvVars(services: Service[], namespace: string, enableServiceLinks = true): Array<[string, string]> {
  const picked = new Map<string, Service>();
  for (const s of services) {
    if (!hasClusterIP(s)) continue;
    const name = s.metadata?.name ?? '';
    if (s.metadata?.namespace === MASTER_NAMESPACE && MASTER_SERVICES.has(name)) {
      if (!picked.has(name)) picked.set(name, s);
    } else if (s.metadata?.namespace === namespace && enableServiceLinks) picked.set(name, s);
  }
  return [...picked.keys()].sort().flatMap((n) => serviceLinkVars(picked.get(n)!));
}

/** expansion.Expand: `$(VAR)` from the known variables, `$$` an escaped `$`, an unknown reference kept as written. */
export function expandEnvValue(value: string, known: (name: string) => string | undefined): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name?: string) => (m === '$$' ? '$' : known(name!) ?? m));
}

/** makeEnvironmentVariables for literal values: the container's env in its order, then the remaining service links. */
export function containerEnv(container: Pick<Container, 'env'>, serviceVars: Array<[string, string]>): Record<string, string> {
  const services = new Map(serviceVars);
  const own = new Map<string, string>();
  for (const e of (container.env ?? []) as EnvVar[]) {
    if (e.value === undefined && e.valueFrom) continue;
    own.set(e.name, expandEnvValue(e.value ?? '', (n) => own.get(n) ?? services.get(n)));
  }
  const env: Record<string, string> = Object.fromEntries(own);
  for (const [k, v] of services) if (!own.has(k)) env[k] = v;
  return env;
}
