import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarkdown } from '../../../src-main/lessons/markdown.ts';

test('fenced blocks with {{exec}}, {{exec interrupt}}, {{copy}} and none; the markers leave the Markdown', () => {
  const src = [
    'Run:', '', '```bash', 'kubectl get pod', 'kubectl get svc', '```{{exec}}', '',
    '```', 'watch me', '```{{exec interrupt}}', '',
    '~~~yaml', 'a: 1', '~~~{{copy}}', '',
    '```', 'plain', '```', '',
    '````', '```', 'nested fence', '````{{execute}}',
  ].join('\n');
  const { markdown, blocks } = parseMarkdown(src);
  assert.deepEqual(blocks.map((b) => [b.kind, b.lang, b.code, b.action, b.interrupt]), [
    ['block', 'bash', 'kubectl get pod\nkubectl get svc', 'exec', false],
    ['block', null, 'watch me', 'exec', true],
    ['block', 'yaml', 'a: 1', 'copy', false],
    ['block', null, 'plain', 'none', false],
    ['block', null, '```\nnested fence', 'exec', false],
  ]);
  assert.doesNotMatch(markdown, /\{\{/);
  assert.match(markdown, /```bash\nkubectl get pod\nkubectl get svc\n```\n/);
  assert.match(markdown, /~~~yaml\na: 1\n~~~\n/);
});

test('inline code: `x`{{exec}} and `x`{{copy}} are listed, `x`{{}} and plain `x` are not', () => {
  const { markdown, blocks } = parseMarkdown('Try `ls -l`{{exec}} or `whoami`{{exec interrupt}}, copy `a b`{{copy}}; `cscli`{{}} and `plain`.\n`kubectl get pod -o wide`{{execute T2}}');
  assert.deepEqual(blocks.map((b) => [b.kind, b.code, b.action, b.interrupt]), [
    ['inline', 'ls -l', 'exec', false],
    ['inline', 'whoami', 'exec', true],
    ['inline', 'a b', 'copy', false],
    ['inline', 'kubectl get pod -o wide', 'exec', false],
  ]);
  assert.equal(markdown, 'Try `ls -l` or `whoami`, copy `a b`; `cscli` and `plain`.\n`kubectl get pod -o wide`');
  assert.deepEqual(blocks.map((b) => b.index), [0, 1, 2, 3]);
});

test('code inside a fence is not read for inline markers; CRLF files read as LF', () => {
  const { markdown, blocks } = parseMarkdown('```\necho `date`{{exec}}\n```\r\nafter `x`{{copy}}\r\n');
  assert.deepEqual(blocks.map((b) => [b.kind, b.code, b.action]), [['block', 'echo `date`{{exec}}', 'none'], ['inline', 'x', 'copy']]);
  assert.equal(markdown, '```\necho `date`{{exec}}\n```\nafter `x`\n');
});
