import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMarkdown } from '../../../src-main/lessons/markdown.ts';
import { marked } from 'marked';
import { assignBlocks, execInput } from '../../../src-renderer/lib/lessons/blocks.ts';

/** The <code> elements marked renders, in document order (what the pane reads from the DOM). */
function renderedCodes(markdown: string): Array<{ pre: boolean; text: string }> {
  const html = marked.parse(markdown, { async: false }) as string;
  const out: Array<{ pre: boolean; text: string }> = [];
  const re = /(<pre>)?<code[^>]*>([\s\S]*?)<\/code>/g;
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  for (const m of html.matchAll(re)) out.push({ pre: !!m[1], text: unescape(m[2]!) });
  return out;
}

const PAGE = [
  'Plain `kubectl` first, then a marked one: `kubectl get pod -o wide`{{exec}}.',
  '',
  '```bash',
  "cat > a.yaml <<'YAML'",
  'kind: Pod',
  'YAML',
  '```{{exec}}',
  '',
  '```',
  'output, not runnable',
  '```',
  '',
  'Copy `kubectl delete pod <name>`{{copy}} and `kubectl get pod -o wide` again.',
  '',
  '```bash',
  'kubectl get endpoints -w',
  '```{{exec}}',
  '',
  '```bash',
  'curl -s http://10.96.0.10',
  '```{{exec interrupt}}',
].join('\n');

test('each rendered <code> gets its own action; plain code and unmarked twins get none', () => {
  const { markdown, blocks } = parseMarkdown(PAGE);
  const codes = renderedCodes(markdown);
  const assigned = assignBlocks(codes, blocks);
  assert.equal(codes.length, 8);
  assert.deepEqual(assigned.map((b) => (b ? `${b.action}:${b.code.split('\n')[0]}` : null)), [
    null,
    'exec:kubectl get pod -o wide',
    "exec:cat > a.yaml <<'YAML'",
    null,
    'copy:kubectl delete pod <name>',
    null, // the same text as the exec above, but unmarked here
    'exec:kubectl get endpoints -w',
    'exec:curl -s http://10.96.0.10',
  ]);
  assert.equal(assigned[7]!.interrupt, true);
});

test('an exec click types each line and Enter; interrupt sends Ctrl-C first', () => {
  assert.deepEqual(execInput({ code: 'a\nb\n', interrupt: false }), ['a\rb\r']);
  assert.deepEqual(execInput({ code: 'curl x', interrupt: true }), ['\x03', 'curl x\r']);
  assert.deepEqual(execInput({ code: 'x\r\ny', interrupt: false }), ['x\ry\r']);
});
