import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // The strict CSP forbids inline scripts; Vite's modulepreload polyfill is not needed by Chromium.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 3000,
  },
  server: { port: 5173, strictPort: false },
});
