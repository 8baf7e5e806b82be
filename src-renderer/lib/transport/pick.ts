/**
 * Chooses the transport: the Electron preload's `window.kubelab` when present, else a WebSocket to the host that
 * served this page. The rest of the renderer sees only HostApi and a link status.
 */
import type { HostApi } from '../../../src-main/contract/contract.ts';
import { connectWebSocket, type LinkStatus, webSocketUrl } from './ws-client.ts';

declare global {
  interface Window {
    kubelab?: HostApi;
  }
}

export interface HostConnection {
  readonly kind: 'electron' | 'websocket';
  readonly status: LinkStatus;
  onStatus(listener: (status: LinkStatus) => void): () => void;
}

export function pickHost(): { api: HostApi; connection: HostConnection } {
  if (window.kubelab) {
    return {
      api: window.kubelab,
      connection: { kind: 'electron', status: 'open', onStatus: () => () => undefined },
    };
  }
  const host = connectWebSocket({ url: webSocketUrl(window.location) });
  return {
    api: host.api,
    connection: {
      kind: 'websocket',
      get status() {
        return host.status;
      },
      onStatus: (listener) => host.onStatus(listener),
    },
  };
}
