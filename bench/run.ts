/** `npm run bench`: every benchmark of the project, figures printed side by side, median and range over several runs. */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Report } from './report.ts';
import { clusterBenchmarks } from './cluster.bench.ts';
import { networkBenchmarks } from './network.bench.ts';
import { apiserverBenchmarks } from './apiserver.bench.ts';
import { terminalBenchmarks } from './terminal.bench.ts';
import { uiBenchmarks } from './ui.bench.ts';
import { storeBenchmarks } from './store.bench.ts';

process.env.KUBELAB_NODE_WORKER ??= fileURLToPath(new URL('../dist/node-worker.cjs', import.meta.url));

const SUITES: Array<[string, (r: Report) => Promise<void>]> = [
  ['cluster', clusterBenchmarks],
  ['network', networkBenchmarks],
  ['apiserver', apiserverBenchmarks],
  ['store', storeBenchmarks],
  ['terminal', terminalBenchmarks],
  ['ui', uiBenchmarks],
];

export const BENCH_USAGE = `Run the benchmarks and print every figure with its target, as the median and range of several runs.

Usage:
  kubelab bench [SUITE...] [--runs N]

Suites: ${SUITES.map(([n]) => n).join(', ')} (all when none is named)

Flags:
  --runs N    run the suites N times (default 3) and report the median and range of each figure
  -h, --help  show this help

Figures are written to bench-results.md, with the machine they ran on.
`;

export class BenchUsageError extends Error {}

export function parseBenchArgs(argv: string[]): { suites: string[]; runs: number; help: boolean } {
  const suites: string[] = [];
  let runs = 3;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') help = true;
    else if (a === '--runs' || a.startsWith('--runs=')) {
      const v = a.includes('=') ? a.slice(7) : argv[++i];
      if (!v || !/^[1-9]\d*$/.test(v)) throw new BenchUsageError(`invalid argument "${v ?? ''}" for "--runs" flag: a positive integer is required`);
      runs = Number(v);
    } else if (a.startsWith('-')) throw new BenchUsageError(`Unknown option '${a}'`);
    else if (SUITES.some(([n]) => n === a)) suites.push(a);
    else throw new BenchUsageError(`unknown suite "${a}" (suites: ${SUITES.map(([n]) => n).join(', ')})`);
  }
  return { suites, runs, help };
}

/** What the figures ran on: a figure means little without the machine and what else was running. */
function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg().map((l) => l.toFixed(1)).join(' / ');
  return `${availableParallelism()} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}; load average (1/5/15 min) ${load}`;
}

export async function runBenchmarks(argv: string[] = []): Promise<number> {
  const { suites, runs, help } = parseBenchArgs(argv);
  if (help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const report = new Report();
  const startedOn = machine();
  console.log(`machine: ${startedOn}`);
  for (let run = 0; run < runs; run++) {
    report.startRun(run, runs);
    for (const [name, suite] of SUITES) {
      if (suites.length && !suites.includes(name)) continue;
      console.log(`\n== ${name}${runs > 1 ? ` (run ${run + 1} of ${runs})` : ''} ==`);
      // Figures from a shared machine mean little without knowing what else ran on it.
      report.add(name, `machine: 1-min load average at suite start (${availableParallelism()} cores, all processes)`, loadavg()[0]!.toFixed(1));
      try {
        await suite(report);
      } catch (e) {
        // One broken suite must not hide the others' figures: its failure is a figure too.
        report.add(name, 'SUITE FAILED', String((e as Error).stack ?? e).split('\n').slice(0, 3).join(' ').replace(/\|/g, '/'));
      }
    }
  }
  const header = `Measured ${new Date().toISOString().slice(0, 10)}, ${runs} run${runs > 1 ? 's' : ''}.\nMachine at start: ${startedOn}.\nMachine at end: ${machine()}.\n`;
  const md = report.markdown(header);
  writeFileSync('bench-results.md', `${md}\n`);
  console.log(`\n${md}\n\nwritten to bench-results.md`);
  return 0;
}

if (process.argv[1]?.endsWith('run.ts')) {
  runBenchmarks(process.argv.slice(2)).then(
    (c) => process.exit(c),
    (e) => {
      if (!(e instanceof BenchUsageError)) throw e;
      process.stderr.write(`Error: ${e.message}\n\n${BENCH_USAGE}`);
      process.exit(2);
    },
  );
}
