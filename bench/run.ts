/** `npm run bench`: every benchmark of the project, figures printed side by side in one run. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Report } from './report.ts';
import { clusterBenchmarks } from './cluster.bench.ts';

process.env.KUBELAB_NODE_WORKER ??= fileURLToPath(new URL('../dist/node-worker.js', import.meta.url));

export async function runBenchmarks(only?: string[]): Promise<number> {
  const report = new Report();
  const suites: Array<[string, (r: Report) => Promise<void>]> = [['cluster', clusterBenchmarks]];
  for (const [name, run] of suites) {
    if (only?.length && !only.includes(name)) continue;
    console.log(`\n== ${name} ==`);
    await run(report);
  }
  writeFileSync('bench-results.md', `${report.markdown()}\n`);
  console.log('\nwritten to bench-results.md');
  return 0;
}

if (process.argv[1]?.endsWith('run.ts')) {
  runBenchmarks(process.argv.slice(2)).then((c) => process.exit(c));
}
