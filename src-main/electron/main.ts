/**
 * The Electron main process: one window, the host service (cluster state in the user-data dir), the IPC transport.
 * The renderer is served from a privileged custom scheme rather than file://, so it has a real origin and every
 * response carries the strict CSP header.
 */
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, protocol, screen, session, shell } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { HostService } from '../contract/contract.ts';
import { startKubelab } from '../host/kubelab.ts';
import { CONTENT_TYPES, RENDERER_CSP, RENDERER_SECURITY_HEADERS } from '../host/transport/csp.ts';
import { registerIpc } from '../host/transport/ipc.ts';
import { buildAppMenu } from './app-menu.ts';
import { fitToScreens, loadWindowState, saveWindowState, type WindowState } from './window-state.ts';

const SCHEME = 'kubelab-app';
const ORIGIN = `${SCHEME}://renderer`;
const isDev = !app.isPackaged || process.env.KUBELAB_DEV === '1';
// Bundled to dist/electron-main.mjs: the renderer build is dist/renderer, the preload dist/electron/preload.cjs.
const distDir = dirname(fileURLToPath(import.meta.url));
const rendererDir = resolve(distDir, 'renderer');
const preloadPath = join(distDir, 'electron', 'preload.cjs');

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

async function serveRendererFile(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const pathname = decodeURIComponent(url.pathname);
  const file = resolve(join(rendererDir, pathname === '/' ? 'index.html' : pathname));
  if (url.host !== 'renderer' || !file.startsWith(rendererDir + sep)) return new Response('Not Found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: { ...RENDERER_SECURITY_HEADERS, 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' },
    });
  } catch {
    return new Response('Not Found', { status: 404 });
  }
}

function lockDownSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
}

function createWindow(service: HostService, stateFile: string): BrowserWindow {
  const saved: WindowState = fitToScreens(loadWindowState(stateFile), screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    width: saved.width,
    height: saved.height,
    ...(saved.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y } : {}),
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'kubelab',
    backgroundColor: '#14161a',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (saved.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const remember = (): void => {
    if (win.isDestroyed()) return;
    const bounds = win.getNormalBounds();
    saveWindowState(stateFile, { ...bounds, maximized: win.isMaximized() });
  };
  win.on('close', remember);

  // The window shows only our renderer: links open in the system browser, nothing navigates the window away.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) shell.openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(ORIGIN)) event.preventDefault();
  });

  registerIpc(ipcMain, service, win.webContents);
  win.loadURL(`${ORIGIN}/index.html`).catch((error: unknown) => console.error('kubelab: could not load the UI', error));
  return win;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  protocol.handle(SCHEME, serveRendererFile);
  lockDownSession();

  const userData = app.getPath('userData');
  // The same embedded cluster as `kubelab serve` (API server on a free 127.0.0.1 port for real kubectl), with its
  // objects kept in the user-data dir.
  const stateDir = join(userData, 'cluster');
  const lab = await startKubelab({ nodes: 3, port: 0, stateDir, kubeconfigPath: join(stateDir, 'kubeconfig'), speed: 1 });
  await lab.ready();
  const service: HostService = lab.service;
  Menu.setApplicationMenu(buildAppMenu(service, process.platform === 'darwin', isDev));

  const stateFile = join(userData, 'window-state.json');
  let win = createWindow(service, stateFile);
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow(service, stateFile);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    Promise.resolve(lab.close())
      .catch((error: unknown) => console.error('kubelab: closing the cluster failed', error))
      .finally(() => app.quit());
  });
}

main().catch((error: unknown) => {
  console.error('kubelab failed to start', error);
  app.exit(1);
});
