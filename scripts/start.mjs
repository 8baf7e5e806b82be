// `npm start`: the desktop app in Electron, or, where Electron cannot run, the same app in the browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}/dist/cli.js`) || process.argv.includes('--rebuild')) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });

function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

const electron = electronBinary();
const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (electron && !headless) {
  const child = spawn(electron, [`${root}/dist/electron-main.mjs`], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = electron ? 'there is no display here' : 'the Electron binary is not installed here';
  console.log(`kubelab: ${why}, so the app opens in your browser instead (the UI URL is printed below).`);
  const child = spawn(process.execPath, [`${root}/bin/kubelab.mjs`, 'serve', ...process.argv.slice(2).filter((a) => a !== '--rebuild')], { stdio: ['inherit', 'pipe', 'inherit'] });
  child.stdout.on('data', (d) => {
    process.stdout.write(d);
    const m = /^UI: (\S+)/m.exec(String(d));
    if (m && !headless) spawn(process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open', [m[1]], { stdio: 'ignore', detached: true }).on('error', () => {});
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
