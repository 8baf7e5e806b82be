/** `kubelab`: serve | shell | bench. */
import { UsageError } from './args.ts';

const HELP = `kubelab - an embedded multi-node Kubernetes cluster for learning Kubernetes networking

Usage:
  kubelab <command> [flags]

Commands:
  serve    Start the cluster headless, with its API server and the browser UI
  shell    Attach a cluster shell to a running 'kubelab serve' (or run one command with -c)
  kubectl  The built-in kubectl (for machines without one), against the cluster in $KUBECONFIG
  lesson   Lessons in a running 'kubelab serve': list, start, check, status, reset, import, progress
  traffic  What went over the cluster's data path: per Service endpoint and client, per rule
  bench    Run the benchmarks and print the figures
  help     Show this help, or a command's: kubelab help <command>

Run 'kubelab <command> --help' for the flags of a command.
Usage errors exit with status 2 (kubelab kubectl keeps kubectl's own errors and exit codes).
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'help':
      if (rest.length) return main([rest[0]!, '--help']);
      process.stdout.write(HELP);
      return 0;
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    case 'serve':
      return (await import('./serve.ts')).serve(rest);
    case 'shell':
      return (await import('./shell.ts')).shell(rest);
    case 'kubectl':
      return (await import('./kubectl.ts')).kubectl(rest);
    case 'lesson':
      return (await import('./lesson.ts')).lesson(rest);
    case 'traffic':
      return (await import('./lesson.ts')).traffic(rest);
    case 'bench':
      return (await import('./bench.ts')).bench(rest);
    default:
      throw new UsageError(`unknown command "${cmd}" for "kubelab"\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined && code >= 0) process.exitCode = code;
  },
  (e) => {
    if (e instanceof UsageError) {
      process.stderr.write(`Error: ${e.message.replace(/\n*$/, '\n')}`);
      process.exit(2);
    }
    // A learner gets the message; the stack only when asked for (KUBELAB_DEBUG=1).
    process.stderr.write(`kubelab: ${e instanceof Error ? (process.env.KUBELAB_DEBUG ? (e.stack ?? e.message) : e.message) : String(e)}\n`);
    process.exit(1);
  },
);
