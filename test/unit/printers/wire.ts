/** Reads the real kubectl outputs recorded in test/fixtures/kubectl-wire (`### cmd`, output, `### rc=N`). */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const WIRE = fileURLToPath(new URL('../../fixtures/kubectl-wire/', import.meta.url));

export function wireOutput(file: string): string {
  const lines = fs.readFileSync(WIRE + file, 'utf8').split('\n');
  const end = lines.findIndex((l) => l.startsWith('### rc='));
  return lines.slice(1, end).join('\n') + '\n';
}
