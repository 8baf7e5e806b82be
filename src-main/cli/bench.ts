export async function bench(_argv: string[]): Promise<number> {
  const { runBenchmarks } = await import('../../bench/run.ts');
  return runBenchmarks();
}
