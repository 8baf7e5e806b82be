/** The built-in kubectl, run in-process against our own API server (the same HTTP a real kubectl uses). */
import { httpApiClient } from '../kubectl/client.ts';
import { runKubectl } from '../kubectl/index.ts';

export interface BuiltinKubectl {
  run(argv: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

export function builtinKubectl(apiUrl: string, token: string, ca: string, kubeconfigPath: string): BuiltinKubectl {
  const client = httpApiClient(apiUrl, token, { ca });
  return {
    async run(argv, stdin = '') {
      let stdout = '';
      let stderr = '';
      const code = await runKubectl(
        argv,
        {
          stdout: (s: string) => void (stdout += s),
          stderr: (s: string) => void (stderr += s),
          stdin: async () => stdin,
          readFile: async () => {
            throw new Error('no files in this context');
          },
          cwd: '/root',
          env: { KUBECONFIG: kubeconfigPath, HOME: '/root' },
        } as never,
        client,
      );
      return { code, stdout, stderr };
    },
  };
}
