/** Reads the real kubectl outputs recorded in /work/shared/reference/kubectl-wire (`### cmd`, output, `### rc=N`). */
import fs from 'node:fs';
import { SHARED } from '../../shared-path.ts';

export const WIRE = `${SHARED}reference/kubectl-wire/`;

export function wireOutput(file: string): string {
  const lines = fs.readFileSync(WIRE + file, 'utf8').split('\n');
  const end = lines.findIndex((l) => l.startsWith('### rc='));
  return lines.slice(1, end).join('\n') + '\n';
}
