/** electron-builder configuration: `npm run dist` (after `npm run build` has filled dist/). */
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'dev.kubelab.app',
  productName: 'kubelab',
  copyright: 'Copyright © kubelab contributors',
  directories: { output: 'release', buildResources: 'assets' },
  files: ['dist/**', 'assets/lessons/**', 'package.json'],
  asarUnpack: ['**/node_modules/node-pty/**'],
  extraMetadata: { main: 'dist/electron-main.mjs' },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    synopsis: 'A desktop Kubernetes networking lab',
  },
  deb: { depends: ['libnss3', 'libxss1', 'libasound2'] },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
  dmg: { sign: false },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
};

export default config;
