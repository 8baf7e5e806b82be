/** The built-in kubectl, run in-process against our own API server (the same HTTPS a real kubectl uses). */
import type { CommandResult } from '../contract/command-result.ts';
import { httpApiClient, type ApiClient } from '../kubectl/client.ts';
import { runKubectl } from '../kubectl/index.ts';
import type { KubectlHook } from '../shell/commands/deps.ts';

export interface BuiltinKubectl {
  /** For shells: runKubectl with a client bound to our API server. */
  hook: KubectlHook;
  /** For the UI (describe, yaml, tables): one command, output captured. */
  run(argv: string[]): Promise<CommandResult>;
}

export function builtinKubectl(apiUrl: string, token: string, ca: string, kubeconfigPath: string): BuiltinKubectl {
  const client: ApiClient = httpApiClient(apiUrl, token, { ca });
  return {
    hook: { run: runKubectl, client },
    async run(argv) {
      let stdout = '';
      let stderr = '';
      const code = await runKubectl(
        argv,
        {
          stdout: (s) => void (stdout += s),
          stderr: (s) => void (stderr += s),
          stdin: async () => '',
          readFile: (p) => {
            if (p === kubeconfigPath) return import('node:fs').then((fs) => fs.readFileSync(p, 'utf8'));
            throw new Error(`open ${p}: no such file or directory`);
          },
          cwd: '/root',
          env: { KUBECONFIG: kubeconfigPath, HOME: '/root' },
        },
        client,
      );
      return { code, stdout, stderr };
    },
  };
}
