import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { IPC_CHANNEL } from '../../../src-main/contract/contract.ts';
import { createIpcHostApi } from '../../../src-main/electron/ipc-client.ts';
import { registerIpc } from '../../../src-main/host/transport/ipc.ts';
import { FakeService, until } from './fake-service.ts';

/** A main process and one window, wired the way Electron wires ipcMain, webContents and the preload's ipcRenderer. */
function electronPair() {
  const ipcMain = new EventEmitter();
  const toRenderer = new EventEmitter();
  let destroyed = false;
  const emitter = new EventEmitter();
  const webContents = Object.assign(emitter, {
    send: (channel: string, ...args: unknown[]) => queueMicrotask(() => toRenderer.emit(channel, {}, ...structuredClone(args))),
    isDestroyed: () => destroyed,
    destroy: () => {
      destroyed = true;
      emitter.emit('destroyed');
    },
  });
  const ipcRenderer = {
    send: (channel: string, ...args: unknown[]) =>
      queueMicrotask(() => ipcMain.emit(channel, { sender: webContents }, ...structuredClone(args))),
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => toRenderer.on(channel, listener),
  };
  return { ipcMain, webContents, ipcRenderer };
}

test('the preload API and registerIpc carry requests, errors, events and terminals', async () => {
  const service = new FakeService();
  const { ipcMain, webContents, ipcRenderer } = electronPair();
  registerIpc(ipcMain, service, webContents);
  const api = createIpcHostApi(ipcRenderer);

  assert.deepEqual(await api.request('node.add', { name: 'w' }), { name: 'w' });
  await assert.rejects(api.request('node.add', { name: 'bad' }), /already exists/);

  const changed: number[] = [];
  api.subscribe('cluster.changed', (s) => changed.push(s.clock.now));
  const data: string[] = [];
  api.subscribe('terminal.data', (d) => data.push(d.data));
  await api.request('cluster.snapshot', {});
  service.emit('cluster.changed', { clock: { now: 7, speed: 1 } } as never);
  const { id } = await api.request('terminal.open', { kind: 'cluster', cols: 80, rows: 24 });
  await api.request('terminal.input', { id, data: 'pwd' });
  await until(() => changed.length === 1 && data.length === 2);
  assert.deepEqual(data, ['$ ', 'echo:pwd']);
});

test('messages from other webContents are ignored; a destroyed window releases everything', async () => {
  const service = new FakeService();
  const { ipcMain, webContents, ipcRenderer } = electronPair();
  registerIpc(ipcMain, service, webContents);
  ipcMain.emit(IPC_CHANNEL, { sender: {} }, { type: 'request', id: 1, name: 'node.add', params: { name: 'x' } });
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(service.calls.length, 0);

  const api = createIpcHostApi(ipcRenderer);
  api.subscribe('traffic.frame', () => undefined);
  await api.request('cluster.snapshot', {});
  assert.equal(service.listenerCount('traffic.frame'), 1);
  webContents.destroy();
  assert.equal(service.listenerCount('traffic.frame'), 0);
  assert.equal(service.listenerCount('terminal.data'), 0);
  assert.equal(ipcMain.listenerCount(IPC_CHANNEL), 0);
});

test('a reload (new hello) starts a fresh connection and drops the old page subscriptions', async () => {
  const service = new FakeService();
  const { ipcMain, webContents, ipcRenderer } = electronPair();
  registerIpc(ipcMain, service, webContents);
  const first = createIpcHostApi(ipcRenderer);
  first.subscribe('cluster.changed', () => undefined);
  await first.request('cluster.snapshot', {});
  assert.equal(service.listenerCount('cluster.changed'), 1);
  const second = createIpcHostApi(ipcRenderer); // the preload runs again on reload
  await second.request('cluster.snapshot', {});
  assert.equal(service.listenerCount('cluster.changed'), 0);
});
