/**
 * The kubelet's image manager (pkg/kubelet/images/image_manager.go) over the offline catalogue: pull policy,
 * serialized pulls (the kubelet default), per-image back-off and the events the real kubelet records.
 */
import type { Container } from 'kubernetes-types/core/v1';
import type { Clock } from '../../clock/clock.ts';
import type { ImageCatalogue, ResolvedImage } from '../images/catalogue.ts';
import { Backoff, goDuration } from './backoff.ts';

export type EnsureResult =
  | { ok: true; image: ResolvedImage }
  | { ok: false; reason: 'ErrImagePull' | 'ImagePullBackOff' | 'InvalidImageName' | 'ErrImageNeverPull'; message: string };

export interface ImageEvents {
  normal(reason: string, message: string): void;
  warning(reason: string, message: string): void;
}

/** Download speed of the simulated registry mirror, bytes per ms (~60 MB/s), plus a fixed resolve cost. */
const BYTES_PER_MS = 60_000;
const RESOLVE_MS = 400;

export class ImageManager {
  private readonly present = new Set<string>();
  private readonly backoff = new Backoff();
  /** Pulls are serialized: the next pull starts when the previous one ends. */
  private queueFreeAt = 0;

  constructor(private readonly catalogue: ImageCatalogue, private readonly clock: Clock, private readonly random: () => number) {
    for (const name of catalogue.preloaded()) this.present.add(name);
  }

  isPresent(name: string): boolean {
    return this.present.has(name);
  }

  list(): string[] {
    return [...this.present].sort();
  }

  /** Marks an image as already on the node (tests, preloading `kind load docker-image`). */
  load(name: string): void {
    this.present.add(name);
  }

  /** EnsureImageExists: resolves after the (simulated) pull; emits Pulling/Pulled/Failed/BackOff events. */
  async ensure(podUID: string, container: Container, ev: ImageEvents): Promise<EnsureResult> {
    const image = container.image ?? '';
    const pulled = this.catalogue.pull(image);
    if (!pulled.ok && pulled.reason === 'InvalidImageName') {
      ev.warning('InspectFailed', pulled.message);
      return { ok: false, reason: 'InvalidImageName', message: pulled.message };
    }
    const name = pulled.ok ? pulled.image.name : '';
    const present = pulled.ok && this.present.has(name);
    const policy = container.imagePullPolicy ?? defaultPullPolicy(image);
    if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
      if (present && pulled.ok) {
        ev.normal('Pulled', `Container image "${image}" already present on machine`);
        return { ok: true, image: pulled.image };
      }
      const msg = `Container image "${image}" is not present with pull policy of Never`;
      ev.warning('ErrImageNeverPull', msg);
      return { ok: false, reason: 'ErrImageNeverPull', message: msg };
    }
    const key = `${podUID}_${image}`;
    if (this.backoff.isInBackOffSinceUpdate(key, this.clock.now())) {
      const msg = `Back-off pulling image "${image}"`;
      ev.normal('BackOff', msg);
      return { ok: false, reason: 'ImagePullBackOff', message: msg };
    }
    ev.normal('Pulling', `Pulling image "${image}"`);
    const requested = this.clock.now();
    const start = Math.max(requested, this.queueFreeAt);
    const jitter = 0.8 + 0.4 * this.random();
    const work = !pulled.ok ? Math.round(30 + 70 * this.random())
      : present ? Math.round((RESOLVE_MS + 300 * this.random()))
      : Math.round((RESOLVE_MS + pulled.image.sizeBytes / BYTES_PER_MS) * jitter);
    this.queueFreeAt = start + work;
    await sleep(this.clock, start + work - requested);
    if (!pulled.ok) {
      ev.warning('Failed', `Failed to pull image "${image}": ${pulled.message}`);
      this.backoff.next(key, this.clock.now());
      return { ok: false, reason: 'ErrImagePull', message: pulled.message };
    }
    this.present.add(name);
    ev.normal('Pulled', `Successfully pulled image "${image}" in ${goDuration(work)} (${goDuration(start + work - requested)} including waiting). Image size: ${pulled.image.sizeBytes} bytes.`);
    return { ok: true, image: pulled.image };
  }
}

/** The API server's defaulting: Always for :latest or no tag, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > lastSlash ? image.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise(resolve => clock.setTimeout(resolve, Math.max(0, ms)));
}
