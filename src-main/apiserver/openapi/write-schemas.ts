/**
 * Build step (scripts/build.mjs, `node --import tsx`): regenerates schemas.generated.json from kubernetes-types with
 * the TypeScript compiler. The file is committed so a clean clone runs and tests without building; the running
 * server only reads it. `--check` exits 1 when the committed file is stale instead of writing it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSchemas } from './schema-gen.ts';

export const GENERATED_PATH = fileURLToPath(new URL('./schemas.generated.json', import.meta.url));

export function generatedText(): string {
  return `${JSON.stringify(generateSchemas(), null, 1)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = generatedText();
  let current = '';
  try {
    current = readFileSync(GENERATED_PATH, 'utf8');
  } catch {
    /* first generation */
  }
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error(`${GENERATED_PATH} is stale: run node scripts/build.mjs`);
      process.exit(1);
    }
  } else if (current !== text) writeFileSync(GENERATED_PATH, text);
}
