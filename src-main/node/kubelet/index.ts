export { Kubelet, KUBELET_VERSION, type ContainerView, type PortTarget, type HostPortEntry, type PodSnapshot } from './kubelet.ts';
export { KubeletError, type KubeletOptions, type KubeletEvent, type PodStatusUpdate, type LogOptions, type LogResult, type ObjectRef } from './types.ts';
export { IpAllocator } from './ip-allocator.ts';
export { Backoff, goDuration, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS } from './backoff.ts';
export { defaultPullPolicy } from './image-manager.ts';
