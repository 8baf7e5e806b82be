/** `kubelab bench`: the project's benchmarks (bench/run.ts), with their own usage and flags. */
import { UsageError } from './args.ts';

export async function bench(argv: string[]): Promise<number> {
  const { runBenchmarks, BenchUsageError, BENCH_USAGE } = await import('../../bench/run.ts');
  try {
    return await runBenchmarks(argv);
  } catch (e) {
    if (e instanceof BenchUsageError) throw new UsageError(`${e.message}\n\n${BENCH_USAGE}`);
    throw e;
  }
}
