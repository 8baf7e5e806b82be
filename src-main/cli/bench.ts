/** `kubelab bench [AREA...]`: the benchmarks, figures printed and written to bench-results.md. */
import { parse, UsageError } from './args.ts';

const AREAS = ['cluster', 'network', 'apiserver', 'terminal', 'ui'];

const USAGE = `Run the benchmarks and print the figures (also written to bench-results.md).

Usage:
  kubelab bench [AREA...]

Areas:
  ${AREAS.join(', ')} (default: all of them)

Flags:
  -h, --help               help for bench
`;

export async function bench(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = positionals.find((a) => !AREAS.includes(a));
  if (unknown !== undefined) throw new UsageError(`unknown area "${unknown}" for "kubelab bench"\n\n${USAGE}`);
  const { runBenchmarks } = await import('../../bench/run.ts');
  return runBenchmarks(positionals);
}
