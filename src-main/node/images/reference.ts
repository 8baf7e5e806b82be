/**
 * Image references the way containerd sees them (github.com/distribution/reference ParseNormalizedNamed):
 * `nginx` is docker.io/library/nginx:latest, `takytaky/hostname` is docker.io/takytaky/hostname:latest, a first
 * component with a dot, a colon or `localhost` is a registry host.
 */
export interface ImageReference {
  /** What the user wrote. */
  original: string;
  /** Registry host: docker.io, registry.k8s.io, gcr.io ... */
  domain: string;
  /** Repository path inside the registry: library/nginx, e2e-test-images/agnhost. */
  path: string;
  tag?: string;
  digest?: string;
}

export class InvalidReferenceError extends Error {}

const DEFAULT_DOMAIN = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

export function parseImageReference(original: string): ImageReference {
  let rest = original;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new InvalidReferenceError('invalid reference format');
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new InvalidReferenceError('invalid reference format');
  }
  if (rest === '') throw new InvalidReferenceError('invalid reference format');
  const parts = rest.split('/');
  let domain = DEFAULT_DOMAIN;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    domain = parts.shift()!;
  }
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && parts.length === 1) parts.unshift('library');
  for (const p of parts) {
    if (!COMPONENT.test(p)) {
      if (COMPONENT.test(p.toLowerCase())) throw new InvalidReferenceError('invalid reference format: repository name must be lowercase');
      throw new InvalidReferenceError('invalid reference format');
    }
  }
  return { original, domain, path: parts.join('/'), tag, digest };
}

/** docker.io/library/nginx */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** Fully qualified with the default tag applied, as containerd reports it: docker.io/library/nginx:latest. */
export function canonicalName(ref: ImageReference): string {
  if (ref.digest && !ref.tag) return `${repositoryOf(ref)}@${ref.digest}`;
  return `${repositoryOf(ref)}:${ref.tag ?? 'latest'}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The kubelet's applyDefaultImageTag: appends :latest to the reference as written when it has no tag or digest. */
export function withDefaultTag(image: string): string {
  const ref = parseImageReference(image);
  return ref.tag || ref.digest ? image : `${image}:latest`;
}

function registryHost(domain: string): string {
  return domain === DEFAULT_DOMAIN ? 'registry-1.docker.io' : domain;
}

/**
 * What containerd answers when the registry cannot be reached because the cluster is offline (the DNS lookup of
 * the registry host fails). Shape: failed to pull and unpack image ... failed to resolve reference ... Head ...
 */
export function offlinePullError(ref: ImageReference): string {
  const name = canonicalName(ref);
  const host = registryHost(ref.domain);
  const manifest = ref.digest ?? ref.tag ?? 'latest';
  return (
    `failed to pull and unpack image "${name}": failed to resolve reference "${name}": ` +
    `failed to do request: Head "https://${host}/v2/${ref.path}/manifests/${manifest}": ` +
    `dial tcp: lookup ${host}: no such host`
  );
}
