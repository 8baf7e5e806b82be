// `npm start`: the desktop app in Electron, or, where Electron cannot run, the same app in the browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
if (!existsSync(`${root}/dist/cli.js`) || args.includes('--rebuild')) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * npm installs the electron package without its binary (package.json's allowScripts denies its postinstall, so a
 * fresh install never fails where GitHub's downloads are out of reach). The first start fetches the binary with the
 * package's own installer; where that fails, the app opens in the browser.
 */
function downloadElectron() {
  const installer = `${root}/node_modules/electron/install.js`;
  if (!existsSync(installer)) return false;
  console.log('kubelab: fetching the Electron binary (first start only)…');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [installer], { cwd: `${root}/node_modules/electron`, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  return r.status === 0;
}

const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const wantsBrowser = args.includes('--browser');
let electron = electronBinary();
if (!electron && !headless && !wantsBrowser && downloadElectron()) electron = electronBinary();

if (electron && !headless && !wantsBrowser) {
  const child = spawn(electron, [`${root}/dist/electron-main.mjs`], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = wantsBrowser ? 'you asked for the browser' : headless ? 'there is no display here' : 'the Electron binary could not be installed here (no download)';
  console.log(`kubelab: ${why}, so the app opens in your browser instead (the UI URL is printed below).`);
  const serveArgs = args.filter((a) => a !== '--rebuild' && a !== '--browser');
  const child = spawn(process.execPath, [`${root}/bin/kubelab.mjs`, 'serve', ...serveArgs], { stdio: ['inherit', 'pipe', 'inherit'] });
  child.stdout.on('data', (d) => {
    process.stdout.write(d);
    const m = /^UI: (\S+)/m.exec(String(d));
    if (m && !headless) spawn(process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open', [m[1]], { stdio: 'ignore', detached: true }).on('error', () => {});
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
