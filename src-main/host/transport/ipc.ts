/**
 * The Electron transport, main side: the window's preload sends ClientMessages on IPC_CHANNEL and receives
 * ServerMessages on the same channel (structured clone, no JSON). The preload says hello on every page load; a new
 * page gets a fresh Connection, so a reload releases the old page's subscriptions and terminals.
 * Typed structurally so this file does not import Electron (tests drive it with fakes).
 */
import { type HostService, IPC_CHANNEL, IPC_HELLO_CHANNEL } from '../../contract/contract.ts';
import { Connection } from './connection.ts';
import { TerminalRouter, type TerminalRouterOptions } from './terminal-router.ts';

type IpcListener = (event: { sender: unknown }, ...args: unknown[]) => void;

export interface IpcMainLike {
  on(channel: string, listener: IpcListener): unknown;
  removeListener(channel: string, listener: IpcListener): unknown;
}

export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface IpcTransport {
  dispose(): void;
}

export function registerIpc(
  ipcMain: IpcMainLike,
  service: HostService,
  webContents: WebContentsLike,
  routerOptions?: TerminalRouterOptions,
): IpcTransport {
  const router = new TerminalRouter(service, routerOptions);
  let connection: Connection | null = null;

  const fresh = (): Connection => {
    connection?.close();
    connection = new Connection({
      service,
      router,
      send: (message) => {
        if (!webContents.isDestroyed()) webContents.send(IPC_CHANNEL, message);
      },
    });
    return connection;
  };

  const onHello = (event: { sender: unknown }): void => {
    if (event.sender === webContents) fresh();
  };
  const onMessage = (event: { sender: unknown }, message?: unknown): void => {
    if (event.sender !== webContents) return;
    (connection ?? fresh()).receive(message).catch((error) => console.error('kubelab ipc:', error));
  };

  ipcMain.on(IPC_HELLO_CHANNEL, onHello);
  ipcMain.on(IPC_CHANNEL, onMessage);

  const dispose = (): void => {
    ipcMain.removeListener(IPC_HELLO_CHANNEL, onHello);
    ipcMain.removeListener(IPC_CHANNEL, onMessage);
    connection?.close();
    connection = null;
    router.dispose();
  };
  webContents.once('destroyed', dispose);
  return { dispose };
}
