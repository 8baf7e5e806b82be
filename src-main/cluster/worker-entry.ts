import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where a node worker's code is: the esbuild bundle next to the running bundle, or, when running from the
 * TypeScript sources (tests, `tsx`), a small .mjs shim that registers tsx inside the thread.
 */
export function nodeWorkerEntry(): URL {
  // Benchmarks run the sources but measure the bundled worker, as the app runs it.
  if (process.env.KUBELAB_NODE_WORKER) return new URL(process.env.KUBELAB_NODE_WORKER, 'file:///');
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    const bundled = new URL('./node-worker.cjs', here);
    if (existsSync(fileURLToPath(bundled))) return bundled;
  }
  return new URL('../node/worker-shim.mjs', here);
}
