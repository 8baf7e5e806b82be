/**
 * YAML bodies as go-yaml (sigs.k8s.io/yaml) reads them: refused past 10,000 levels of nesting before anything
 * parses them, and alias bombs refused. The `yaml` package recurses per level and runs out of stack after a few
 * hundred (or memory, thousands deep), so deep documents within the limit are parsed in a worker thread with a large
 * stack and a memory cap; a failure there is a decode error, never the server's.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import YAML from 'yaml';
import { DecodeError } from './json.ts';
import { MAX_DEPTH, jsonDepth, yamlDepth } from './depth.ts';

/** Nesting the `yaml` package parses on the main thread's stack with room to spare. */
const IN_THREAD_DEPTH = 200;
/** Larger documents go to the worker too, so parsing them does not hold up other requests. */
const IN_THREAD_BYTES = 512 * 1024;
const WORKER_TIMEOUT_MS = 20_000;

type Parsed = { value: unknown } | { error: string; line?: number };

/** First document of `text` to plain JS, with errors in go-yaml's words (its line numbers are 1-based). */
function parseHere(text: string): Parsed {
  try {
    const doc = YAML.parseAllDocuments(text)[0];
    if (!doc) return { value: null };
    if (Array.isArray(doc)) return { value: null };
    const err = (doc as YAML.Document).errors[0];
    if (err) return { error: err.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, ''), line: err.linePos?.[0]?.line };
    return { value: (doc as YAML.Document).toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/alias count/i.test(msg)) return { error: 'document contains excessive aliasing' };
    return { error: msg.split('\n')[0] };
  }
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const YAML = require(workerData.yamlPath);
let out;
try {
  const doc = YAML.parseAllDocuments(workerData.text)[0];
  if (!doc || Array.isArray(doc)) out = { json: 'null' };
  else if (doc.errors.length) out = { error: doc.errors[0].message.split('\\n')[0].replace(/ at line \\d+, column \\d+.*$/, ''), line: doc.errors[0].linePos && doc.errors[0].linePos[0] && doc.errors[0].linePos[0].line };
  else out = { json: JSON.stringify(doc.toJS({ maxAliasCount: 100 })) ?? 'null' };
} catch (e) {
  out = { error: /alias count/i.test(String(e && e.message)) ? 'document contains excessive aliasing' : String(e && e.message).split('\\n')[0] };
}
parentPort.postMessage(out);
`;

let yamlPath: string | undefined;

function parseInWorker(text: string): Promise<Parsed> {
  yamlPath ??= createRequire(import.meta.url).resolve('yaml');
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { text, yamlPath },
      resourceLimits: { stackSizeMb: 64, maxOldGenerationSizeMb: 512 },
    });
    let settled = false;
    const finish = (p: Parsed) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(p);
    };
    const timer = setTimeout(() => finish({ error: 'document too complex to decode' }), WORKER_TIMEOUT_MS);
    worker.on('message', (m: { json?: string; error?: string; line?: number }) => {
      if (m.json !== undefined) finish({ value: JSON.parse(m.json) });
      else finish({ error: m.error ?? 'unknown problem parsing YAML content', line: m.line });
    });
    worker.on('error', () => finish({ error: 'document too complex to decode' }));
    worker.on('exit', () => finish({ error: 'document too complex to decode' }));
  });
}

/** go-yaml's `yaml: [line N: ]message`. */
function goYamlMessage(error: string, line?: number): string {
  return line && line > 1 ? `yaml: line ${line}: ${error}` : line === 1 ? `yaml: line 1: ${error}` : `yaml: ${error}`;
}

/** yaml.YAMLToJSON's view of a body: its first document as plain JS, or a DecodeError worded as go-yaml words it. */
export async function goYamlParse(text: string): Promise<unknown> {
  const depth = yamlDepth(text);
  if (depth.depth > MAX_DEPTH) {
    // go-yaml names the line only when it is not the first (problem_mark.line, 0-based, is non-zero).
    throw new DecodeError(goYamlMessage(`exceeded max depth of ${MAX_DEPTH}`, depth.line > 0 ? depth.line + 1 : undefined));
  }
  // JSON (what kubectl sends as apply-patch+yaml) is YAML; JSON.parse reads it at any depth.
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      if (jsonDepth(text) <= MAX_DEPTH) return JSON.parse(text);
    } catch {
      // Not JSON after all: YAML flow syntax, parsed below.
    }
  }
  const parsed = depth.depth <= IN_THREAD_DEPTH && text.length <= IN_THREAD_BYTES ? parseHere(text) : await parseInWorker(text);
  if ('error' in parsed) throw new DecodeError(goYamlMessage(parsed.error, parsed.line));
  return parsed.value;
}
