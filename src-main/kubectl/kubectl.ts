/**
 * Our kubectl: `runKubectl(argv, io, client)` prints what kubectl 1.32 prints against the same server, on stdout and
 * stderr, and returns its exit code. Command lookup, --help and suggestions work as cobra does them for kubectl.
 */
import { Api } from './api.ts';
import type { ApiClient } from './client.ts';
import { defaultKubeconfigPath, loadKubeconfig, type Ctx, type KubectlIO } from './context.ts';
import { errorText, exitCodeOf } from './errors.ts';
import { FlagError, parseArgs, splitCommand } from './flags.ts';
import { helpText } from './help/help.ts';
import { COMMANDS } from './commands.ts';

export type { ApiClient } from './client.ts';
export { httpApiClient } from './client.ts';
export type { KubectlIO } from './context.ts';

/** Top-level commands in the order kubectl adds them (cobra suggests in this order). */
const TOP_LEVEL = [
  'create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale', 'certificate',
  'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach', 'exec', 'port-forward',
  'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait', 'kustomize', 'label', 'annotate',
  'completion', 'alpha', 'api-resources', 'api-versions', 'config', 'plugin', 'version', 'options', 'help',
];
/** Commands with subcommands but no action of their own: print help (exit 1 with args that are not subcommands). */
const GROUPS = new Set(['set', 'rollout', 'config', 'create service']);

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

function unknownCommand(name: string): string {
  const suggestions = TOP_LEVEL.filter((c) => c !== 'help' && (levenshtein(name.toLowerCase(), c) <= 2 || c.startsWith(name.toLowerCase())));
  let out = `error: unknown command "${name}" for "kubectl"\n`;
  if (suggestions.length) out += `\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}`;
  return out;
}

function isKnownPath(path: string): boolean {
  return path in COMMANDS || GROUPS.has(path) || helpText(path) !== undefined;
}

export async function runKubectl(argv: string[], io: KubectlIO, client: ApiClient): Promise<number> {
  const { path, rest } = splitCommand(argv, isKnownPath);
  if (path.startsWith('?')) {
    const name = path.slice(1);
    // cobra only treats a leading word as a command when it is not a plugin; `kubectl foo` fails like this.
    io.stderr(unknownCommand(name));
    return 1;
  }
  let parsed;
  try {
    parsed = parseArgs(path, rest);
  } catch (e) {
    if (e instanceof FlagError) {
      io.stderr(errorText(e, path));
      return 1;
    }
    throw e;
  }
  const { flags, args, argsLenAtDash } = parsed;
  if (path === '' || flags.bool('help') || path === 'help') {
    io.stdout(helpText(path === 'help' ? '' : path, io.env) ?? '');
    return 0;
  }
  const run = COMMANDS[path];
  if (!run || (GROUPS.has(path) && path !== 'create service')) {
    if (args.length > 0 && GROUPS.has(path)) {
      io.stderr(`error: unknown command "${args[0]}"\nSee 'kubectl ${path} -h' for help and examples\n`);
      return 1;
    }
    io.stdout(helpText(path, io.env) ?? '');
    return GROUPS.has(path) ? 1 : 0;
  }
  const kubeconfigPath = flags.str('kubeconfig') || defaultKubeconfigPath(io.env);
  const kubeconfig = await loadKubeconfig(io, kubeconfigPath, flags.str('context'));
  const ctx: Ctx = {
    io,
    api: new Api(client, io.signal),
    flags,
    args,
    argsLenAtDash,
    cmdPath: path,
    kubeconfig,
    namespace: flags.str('namespace') || kubeconfig.namespace,
    namespaceExplicit: flags.has('namespace'),
  };
  try {
    return await run(ctx);
  } catch (e) {
    if (io.signal?.aborted) return 130;
    io.stderr(errorText(e, path));
    return exitCodeOf(e);
  }
}
