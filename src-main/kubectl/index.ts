/** Public entry points of our kubectl. */
export { runKubectl } from './kubectl.ts';
export type { KubectlIO, DirEntry } from './context.ts';
export { httpApiClient, UpgradeRefused } from './client.ts';
export type { ApiClient, ApiRequest, ApiResponse, ApiStreamResponse, ChannelConnection } from './client.ts';
