/** The real help texts (copied from kubectl 1.32 by generate.ts); `--cache-dir`'s default follows $HOME. */
import { HELP_TEXTS } from './help-texts.ts';

export function helpText(path: string, env?: Record<string, string | undefined>): string | undefined {
  const text = HELP_TEXTS[path];
  if (text === undefined || !env) return text;
  return text.replace("--cache-dir='/root/.kube/cache'", `--cache-dir='${env.HOME ?? ''}/.kube/cache'`);
}
