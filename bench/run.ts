/** `npm run bench`: every benchmark of the project, figures printed side by side in one run. */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Report } from './report.ts';
import { clusterBenchmarks } from './cluster.bench.ts';
import { networkBenchmarks } from './network.bench.ts';
import { apiserverBenchmarks } from './apiserver.bench.ts';
import { terminalBenchmarks } from './terminal.bench.ts';
import { uiBenchmarks } from './ui.bench.ts';

process.env.KUBELAB_NODE_WORKER ??= fileURLToPath(new URL('../dist/node-worker.js', import.meta.url));

export async function runBenchmarks(only?: string[]): Promise<number> {
  const report = new Report();
  const suites: Array<[string, (r: Report) => Promise<void>]> = [
    ['cluster', clusterBenchmarks],
    ['network', networkBenchmarks],
    ['apiserver', apiserverBenchmarks],
    ['terminal', terminalBenchmarks],
    ['ui', uiBenchmarks],
  ];
  for (const [name, run] of suites) {
    if (only?.length && !only.includes(name)) continue;
    console.log(`\n== ${name} ==`);
    // Figures from a shared machine mean little without knowing what else ran on it.
    report.add(name, `machine: 1-min load average at suite start (${availableParallelism()} cores, all processes)`, loadavg()[0]!.toFixed(1));
    try {
      await run(report);
    } catch (e) {
      // One broken suite must not hide the others' figures: its failure is a figure too.
      report.add(name, 'SUITE FAILED', String((e as Error).stack ?? e).split('\n').slice(0, 3).join(' ').replace(/\|/g, '/'));
    }
  }
  writeFileSync('bench-results.md', `${report.markdown()}\n`);
  console.log('\nwritten to bench-results.md');
  return 0;
}

if (process.argv[1]?.endsWith('run.ts')) {
  runBenchmarks(process.argv.slice(2)).then((c) => process.exit(c));
}
