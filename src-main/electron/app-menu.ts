/** The application menu. Cluster actions go through the same HostService the renderer uses. */
import { Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { ClockSpeed, HostService } from '../contract/contract.ts';

export function buildAppMenu(service: HostService, isMac: boolean, isDev: boolean): Menu {
  const run = (action: Promise<unknown>): void => {
    action.catch((error: unknown) => console.error('kubelab menu:', error));
  };
  const speed = (label: string, value: ClockSpeed, accelerator: string): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: value === 1,
    accelerator,
    click: () => run(service.handle('clock.setSpeed', { speed: value })),
  });

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: 'Cluster',
      submenu: [
        { label: 'Add Node', click: () => run(service.handle('node.add', {})) },
        { type: 'separator' },
        speed('Pause Clock', 0, 'CmdOrCtrl+0'),
        speed('Clock 1x', 1, 'CmdOrCtrl+1'),
        speed('Clock 10x', 10, 'CmdOrCtrl+2'),
        speed('Clock 60x', 60, 'CmdOrCtrl+3'),
        { type: 'separator' },
        { label: 'Reset Cluster…', click: () => run(service.handle('cluster.reset', {})) },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(isDev ? [{ role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Kubernetes Services', click: () => run(shell.openExternal('https://kubernetes.io/docs/concepts/services-networking/service/')) },
        { label: 'Virtual IPs and Service Proxies', click: () => run(shell.openExternal('https://kubernetes.io/docs/reference/networking/virtual-ips/')) },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
