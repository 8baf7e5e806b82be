/**
 * The offline image catalogue: which references resolve to a simulated program, with their digests and sizes.
 * A reference not in the catalogue fails to pull the way containerd fails on a cluster without internet access.
 */
import { sha256Hex } from '../../net/sha256.ts';
import { canonicalName, InvalidReferenceError, offlinePullError, parseImageReference, repositoryOf, type ImageReference } from './reference.ts';
import { agnhostImage, echoServerImage, helloAppImage, httpEchoImage } from './test-images.ts';
import type { ImageProgram, ImageTools } from './types.ts';
import { alpineImage, busyboxImage, corednsImage, kubeProxyImage, pauseImage } from './system-images.ts';
import { hostnameImage, httpdImage, nginxImage } from './web-images.ts';
import {
  AGNHOST as AGNHOST_USERLAND, ALPINE as ALPINE_USERLAND, BUSYBOX as BUSYBOX_USERLAND, HTTPD as HTTPD_USERLAND, NGINX as NGINX_USERLAND,
  PHP_APACHE as PHP_APACHE_USERLAND,
} from './userland.ts';

export interface CatalogueEntry {
  repository: string;
  tag: RegExp;
  sizeBytes: number;
  /** Present on every node from the start, as kind/kubeadm nodes have their system images. */
  preloaded?: boolean;
  program: ImageProgram;
  /** The shell and network tools present for an exec; absent means every tool (system images nobody execs into). */
  tools?: ImageTools;
}

const BUSYBOX: ImageTools = { shell: 'ash', userland: BUSYBOX_USERLAND };
const ALPINE: ImageTools = { shell: 'ash', userland: ALPINE_USERLAND };
/** Debian images: dash as /bin/sh and Debian's required packages, plus what the Dockerfile installs. */
const NGINX: ImageTools = { shell: 'dash', userland: NGINX_USERLAND };
const HTTPD: ImageTools = { shell: 'dash', userland: HTTPD_USERLAND };
const PHP_APACHE: ImageTools = { shell: 'dash', userland: PHP_APACHE_USERLAND };
/** agnhost is alpine plus `apk add bind-tools curl iproute2 iperf bash` (test/images/agnhost/Dockerfile). */
const AGNHOST: ImageTools = { shell: 'ash', userland: AGNHOST_USERLAND };
/** Distroless or scratch: a single static binary, no /bin/sh. */
const NO_SHELL: ImageTools = { shell: null };

export const DEFAULT_ENTRIES: CatalogueEntry[] = [
  { repository: 'docker.io/library/nginx', tag: /.*/, sizeBytes: 72_099_410, program: nginxImage, tools: NGINX },
  { repository: 'docker.io/library/httpd', tag: /.*/, sizeBytes: 58_136_562, program: httpdImage, tools: HTTPD },
  { repository: 'docker.io/takytaky/hostname', tag: /.*/, sizeBytes: 141_813_226, program: hostnameImage, tools: PHP_APACHE },
  { repository: 'docker.io/hashicorp/http-echo', tag: /.*/, sizeBytes: 3_622_843, program: httpEchoImage, tools: NO_SHELL },
  { repository: 'registry.k8s.io/e2e-test-images/agnhost', tag: /^2\.\d+$/, sizeBytes: 51_992_112, program: agnhostImage, tools: AGNHOST },
  { repository: 'docker.io/kicbase/echo-server', tag: /.*/, sizeBytes: 2_372_971, program: echoServerImage, tools: NO_SHELL },
  { repository: 'gcr.io/google-samples/hello-app', tag: /^1\.0$/, sizeBytes: 4_248_064, program: helloAppImage('1.0.0'), tools: NO_SHELL },
  { repository: 'gcr.io/google-samples/hello-app', tag: /^2\.0$/, sizeBytes: 4_251_136, program: helloAppImage('2.0.0'), tools: NO_SHELL },
  { repository: 'docker.io/library/busybox', tag: /.*/, sizeBytes: 2_155_398, program: busyboxImage, tools: BUSYBOX },
  { repository: 'docker.io/library/alpine', tag: /.*/, sizeBytes: 3_653_068, program: alpineImage, tools: ALPINE },
  { repository: 'registry.k8s.io/coredns/coredns', tag: /^v1\.11\.3$/, sizeBytes: 18_562_039, preloaded: true, program: corednsImage },
  { repository: 'registry.k8s.io/kube-proxy', tag: /^v1\.32\.\d+$/, sizeBytes: 30_908_940, preloaded: true, program: kubeProxyImage },
  { repository: 'registry.k8s.io/pause', tag: /^3\.10$/, sizeBytes: 320_368, preloaded: true, program: pauseImage },
];

/** The shell and network tools of the image a container runs, or undefined for an image not in the catalogue. */
export function toolsOfImage(image: string, entries: CatalogueEntry[] = DEFAULT_ENTRIES): ImageTools | undefined {
  let ref: ImageReference;
  try {
    ref = parseImageReference(image);
  } catch {
    return undefined;
  }
  const repository = repositoryOf(ref);
  const tag = ref.tag ?? 'latest';
  return entries.find(e => e.repository === repository && e.tag.test(tag))?.tools;
}

/** What the image's /bin/sh prints for a command it cannot find (exit status 127). */
export function shellNotFoundText(shell: ImageTools['shell'], command: string): string {
  return shell === 'dash' ? `sh: 1: ${command}: not found\n` : `sh: ${command}: not found\n`;
}

export interface ResolvedImage {
  ref: ImageReference;
  /** docker.io/library/nginx:latest, what containerStatuses[].image shows. */
  name: string;
  /** docker.io/library/nginx@sha256:..., what containerStatuses[].imageID shows. */
  imageID: string;
  sizeBytes: number;
  preloaded: boolean;
  program: ImageProgram;
}

export type PullResult = { ok: true; image: ResolvedImage } | { ok: false; reason: 'ErrImagePull' | 'InvalidImageName'; message: string };

const digests = new Map<string, string>();

/** A stable fake content digest per repository:tag (remembered: every pod's start asks for its image's). */
export function digestFor(repository: string, tag: string): string {
  const key = `kubelab:${repository}:${tag}`;
  let d = digests.get(key);
  if (d === undefined) {
    d = 'sha256:' + sha256Hex(key);
    if (digests.size >= 10_000) digests.clear();
    digests.set(key, d);
  }
  return d;
}

export class ImageCatalogue {
  constructor(private readonly entries: CatalogueEntry[] = DEFAULT_ENTRIES) {}

  /** Parses a reference; throws InvalidReferenceError with distribution/reference's message. */
  parse(image: string): ImageReference {
    return parseImageReference(image);
  }

  /** The image as the registry would serve it, or the offline pull failure. */
  pull(image: string): PullResult {
    let ref: ImageReference;
    try {
      ref = parseImageReference(image);
    } catch (e) {
      if (!(e instanceof InvalidReferenceError)) throw e;
      return { ok: false, reason: 'InvalidImageName', message: `Failed to apply default image tag "${image}": couldn't parse image reference "${image}": ${e.message}` };
    }
    const resolved = this.resolve(ref);
    if (!resolved) return { ok: false, reason: 'ErrImagePull', message: offlinePullError(ref) };
    return { ok: true, image: resolved };
  }

  resolve(ref: ImageReference): ResolvedImage | undefined {
    const repository = repositoryOf(ref);
    const tag = ref.tag ?? 'latest';
    const entry = this.entries.find(e => e.repository === repository && e.tag.test(tag));
    if (!entry) return undefined;
    const digest = digestFor(repository, tag);
    if (ref.digest && ref.digest !== digest) return undefined;
    return {
      ref,
      name: canonicalName({ ...ref, digest: undefined, tag }),
      imageID: `${repository}@${digest}`,
      sizeBytes: entry.sizeBytes,
      preloaded: !!entry.preloaded,
      program: entry.program,
    };
  }

  /** Canonical names of the images every node starts with. */
  preloaded(): string[] {
    return this.entries.filter(e => e.preloaded).map(e => `${e.repository}:${defaultTagOf(e)}`);
  }
}

function defaultTagOf(e: CatalogueEntry): string {
  const src = e.tag.source.replace(/^\^|\$$/g, '').replace(/\\\./g, '.');
  return src === '.*' ? 'latest' : src.replace('\\d+', '2');
}
