/**
 * The preload's half of the Electron transport, without Electron imports so tests can drive it: a HostApi over
 * an ipcRenderer-like object, speaking the same wire messages as the WebSocket transport.
 */
import { type ClientMessage, type HostApi, IPC_CHANNEL, IPC_HELLO_CHANNEL, type ServerMessage } from '../contract/contract.ts';
import { createWireClient } from '../contract/wire-client.ts';

export interface IpcRendererLike {
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createIpcHostApi(ipcRenderer: IpcRendererLike): HostApi {
  const client = createWireClient((message: ClientMessage) => ipcRenderer.send(IPC_CHANNEL, message), true);
  ipcRenderer.on(IPC_CHANNEL, (_event, message) => client.receive(message as ServerMessage));
  ipcRenderer.send(IPC_HELLO_CHANNEL);
  // Plain functions only: contextBridge copies objects, and a class instance's prototype would not survive.
  return {
    request: (name, params) => client.api.request(name, params),
    subscribe: (event, handler) => client.api.subscribe(event, handler),
  };
}
