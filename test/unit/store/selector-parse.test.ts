/** Label and field selector strings: apimachinery's parsers and their error texts (kube answers them as 400). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldTerms, parseLabelRequirements } from '../../../src-main/store/selector-parse.ts';
import { parseFieldSelector, parseLabelSelector } from '../../../src-main/store/selectors.ts';

const labelError = (s: string) => {
  try {
    parseLabelRequirements(s);
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  }
};

test('label selector syntax errors read as labels.Parse words them', () => {
  assert.equal(labelError('a=b=c'), "found '=', expected: ',' or 'end of string'");
  assert.equal(labelError('a in x'), "unable to parse requirement: found 'x' expected: '('");
  assert.equal(labelError('x,'), "found '', expected: identifier after ','");
  assert.equal(labelError('!a=b'), "found '=', expected: ',' or 'end of string'");
  assert.equal(labelError('=>'), "found '=', expected: !, identifier, or 'end of string'");
  assert.equal(labelError('a=(b)'), "unable to parse requirement: found '(', expected: identifier");
});

test('label keys and values are validated like NewRequirement: 63 characters, the label character set', () => {
  assert.equal(labelError(`${'k'.repeat(64)}=1`), `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`);
  assert.equal(labelError(`a=${'v'.repeat(64)}`), `unable to parse requirement: values[0][a]: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`);
  assert.match(labelError('ä=1'), /^unable to parse requirement: <nil>: Invalid value: "ä": name part must consist of alphanumeric characters/);
  assert.match(labelError('a=é'), /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "é": a valid label must be an empty string or consist of/);
});

test('set-based requirements, empty values, gt/lt; sorted by key', () => {
  assert.deepEqual(parseLabelRequirements('z in (y,x),!b,c notin (),d>3'), [
    { key: 'b', op: '!', values: [] },
    { key: 'c', op: 'notin', values: [''] },
    { key: 'd', op: 'gt', values: ['3'] },
    { key: 'z', op: 'in', values: ['x', 'y'] },
  ]);
  const m = parseLabelSelector('tier in (web),v>2');
  assert.deepEqual([m({ tier: 'web', v: '3' }), m({ tier: 'web', v: '2' }), m({ tier: 'web', v: 'x' })], [true, false, false]);
  assert.deepEqual(parseLabelRequirements('a=='), [{ key: 'a', op: '==', values: [''] }]);
});

test('field selectors: terms at the first operator, values unescaped; `metadata.name==` is a valid empty match', () => {
  assert.deepEqual(parseFieldTerms('metadata.name=='), [{ field: 'metadata.name', neq: false, value: '' }]);
  assert.deepEqual(parseFieldTerms('metadata.name=a\\,b'), [{ field: 'metadata.name', neq: false, value: 'a,b' }]);
  assert.throws(() => parseFieldTerms('metadata.name===x'), { message: 'invalid field selector: unescaped character in value: 61' });
  assert.throws(() => parseFieldTerms('x=\\q'), { message: 'invalid field selector: invalid escape sequence: \\q' });
  assert.throws(() => parseFieldTerms('a'), { message: "invalid selector: 'a'; can't understand 'a'" });
  assert.throws(() => parseFieldSelector('spec.foo=1,metadata.name=x', 'ConfigMap'), { message: 'field label not supported: spec.foo' });
  assert.equal(parseFieldSelector('metadata.name==', 'ConfigMap')({ metadata: { name: 'x' } }), false);
});
