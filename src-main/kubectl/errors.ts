/** kubectl's cmdutil.CheckErr: how an error becomes stderr text (always exit 1 unless said otherwise). */
import { KubectlError, ServerError, type StatusBody } from './api.ts';
import { FlagError } from './flags.ts';

/** `Error from server (NotFound): pods "x" not found`; Invalid errors as `The Kind "name" is invalid: ...`. */
export function serverErrorText(s: StatusBody): string {
  if (s.reason === 'Invalid' && s.details) {
    const d = s.details;
    let head = 'The request is invalid';
    if (d.kind || d.name) head = `The ${d.kind ?? ''} ${JSON.stringify(d.name ?? '')} is invalid`;
    const causes = (d.causes ?? []).map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')));
    if (causes.length === 0) return `error: ${s.message}\n`;
    // utilerrors.NewAggregate de-duplicates; MultilineError prints one error inline, several as a list.
    const unique = [...new Set(causes)];
    if (unique.length === 1) return `${head}: ${unique[0]}\n`;
    return `${head}: \n${unique.map((c) => `* ${c}`).join('\n')}\n`;
  }
  if (s.reason) return `Error from server (${s.reason}): ${s.message ?? ''}\n`;
  return `Error from server: ${s.message ?? ''}\n`;
}

/** kubectl adds the manifest file to create/apply/replace errors: `error when creating "f.yaml": ...`. */
export function withSource(e: unknown, verb: string, source: string | undefined): unknown {
  if (!(e instanceof ServerError) || !source || e.status.reason === 'Invalid') return e;
  return new ServerError({ ...e.status, message: `error when ${verb} "${source}": ${e.status.message ?? ''}` });
}

export function errorText(e: unknown, cmdPath: string): string {
  if (e instanceof FlagError) return `error: ${e.message}\nSee 'kubectl ${cmdPath ? `${cmdPath} ` : ''}--help' for usage.\n`;
  if (e instanceof ServerError) return serverErrorText(e.status);
  if (e instanceof KubectlError) return e.raw ? e.message : `error: ${e.message}\n`;
  if (e instanceof AggregateError) return e.errors.map((x) => errorText(x, cmdPath)).join('');
  const msg = e instanceof Error ? e.message : String(e);
  return `error: ${msg}\n`;
}

export function exitCodeOf(e: unknown): number {
  if (e instanceof KubectlError) return e.exitCode;
  return 1;
}
