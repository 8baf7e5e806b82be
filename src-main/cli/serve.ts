/** `kubelab serve`: the cluster headless, its API server, the browser UI, and a kubeconfig for real tools. */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parse, intOption, UsageError } from './args.ts';
import { defaultStateDir } from './data-dir.ts';
import { startKubelab } from '../host/kubelab.ts';

const USAGE = `Start the cluster headless, with its API server and the browser UI.

Usage:
  kubelab serve [flags]

Flags:
      --nodes N            number of nodes, the first one the control plane (default 3)
      --port P             API server and UI port on 127.0.0.1; 0 picks a free port (default 0)
      --kubeconfig PATH    where to write the kubeconfig (default: <state dir>/kubeconfig)
      --state DIR          keep the cluster's objects and the learner's files in DIR (default: ${defaultStateDir()})
      --ephemeral          keep everything in memory only
      --speed S            clock speed: 0 (paused), 1, 10 or 60 (default 1)
      --host-shell         let the browser UI open a shell on this machine (off: anyone with the UI's URL would
                           get one)
  -h, --help               help for serve
`;

export async function serve(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      nodes: { type: 'string' },
      port: { type: 'string' },
      kubeconfig: { type: 'string' },
      state: { type: 'string' },
      ephemeral: { type: 'boolean' },
      speed: { type: 'string' },
      'host-shell': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unknown command "${positionals[0]}" for "kubelab serve"\n\n${USAGE}`);
  if (values.state && values.ephemeral) throw new UsageError(`--state and --ephemeral cannot be used together\n\n${USAGE}`);
  const nodes = intOption(values.nodes, 'nodes', 1, 200) ?? 3;
  const port = intOption(values.port, 'port', 0, 65535) ?? 0;
  const speed = intOption(values.speed, 'speed', 0, 60) ?? 1;
  if (![0, 1, 10, 60].includes(speed)) throw new UsageError(`invalid value "${speed}" for --speed: must be 0, 1, 10 or 60`);
  const stateDir = values.ephemeral ? undefined : (values.state ?? defaultStateDir());
  const kubeconfig = values.kubeconfig ?? join(stateDir ?? join(tmpdir(), `kubelab-${process.pid}`), 'kubeconfig');

  const started = performance.now();
  const lab = await startKubelab({ nodes, port, stateDir, kubeconfigPath: kubeconfig, speed, hostShell: values['host-shell'] === true });
  await lab.ready();
  const ms = Math.round(performance.now() - started);
  const out = process.stdout;
  out.write(`Cluster ready: ${nodes} nodes in ${ms} ms\n`);
  out.write(`API server: ${lab.apiUrl}\n`);
  out.write(`Kubeconfig: ${kubeconfig}\n`);
  out.write(`  export KUBECONFIG=${kubeconfig}\n  kubectl get nodes\n`);
  out.write(`UI: ${lab.uiUrl}\n`);
  if (stateDir) out.write(`State: ${stateDir}\n`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await lab.close();
  return 0;
}
