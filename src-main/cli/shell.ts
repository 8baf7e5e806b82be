import { UsageError } from './args.ts';

export async function shell(_argv: string[]): Promise<number> {
  throw new UsageError('kubelab shell is not available yet');
}
