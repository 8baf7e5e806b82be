/**
 * CI must run what a newcomer runs: README's set-up commands (but `npm start`, which opens the app and waits), in
 * their order, with no environment of its own. A CI that sets a variable the README does not mention hides a broken
 * fresh install (it did: ELECTRON_SKIP_BINARY_DOWNLOAD).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const ci = readFileSync(`${root}.ci/run`, 'utf8');

/** The commands of README's "Set-up" code block, `a && b` split, comments dropped. */
export function readmeCommands(md: string): string[] {
  const section = /^## Set-up[^\n]*\n([\s\S]*?)^## /m.exec(md)?.[1];
  const block = section && /```(?:sh|bash|console)?\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) return [];
  return block
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean)
    .flatMap((l) => l.split('&&').map((c) => c.trim()));
}

/** The commands .ci/run runs after its "# The README's commands:" line. */
export function ciCommands(script: string): string[] {
  const at = script.indexOf("# The README's commands:");
  if (at < 0) return [];
  return script
    .slice(at)
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

test("README's set-up block has the two commands: install and start, and the tests", () => {
  assert.deepEqual(readmeCommands(readme), ['npm install', 'npm start', 'npm test']);
});

test("CI runs README's commands in their order, except the interactive npm start", () => {
  assert.deepEqual(
    ciCommands(ci),
    readmeCommands(readme).filter((c) => c !== 'npm start'),
  );
});

test('CI sets no environment a newcomer would not have', () => {
  const lines = ci.split('\n').filter((l) => !/^\s*#/.test(l));
  // An export reaches every later command; a VAR=x prefix on apt-get reaches only apt-get, and the README commands
  // themselves are compared verbatim above.
  const setting = lines.filter((l) => /^\s*(export|declare -x|set -a)\b/.test(l) || /ELECTRON_|npm_config_/i.test(l));
  assert.deepEqual(setting, []);
});

test('the parsers see a drift: a changed README command is reported', () => {
  const drifted = readme.replace('npm test  ', 'npm run test:all');
  assert.notDeepEqual(ciCommands(ci), readmeCommands(drifted).filter((c) => c !== 'npm start'));
});
