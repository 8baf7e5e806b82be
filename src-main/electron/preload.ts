/**
 * The preload (sandboxed, bundled to CJS): exposes `window.kubelab: HostApi` and nothing else. The renderer never
 * sees ipcRenderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createIpcHostApi } from './ipc-client.ts';

contextBridge.exposeInMainWorld('kubelab', createIpcHostApi(ipcRenderer));
