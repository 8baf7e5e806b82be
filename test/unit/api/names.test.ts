import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fnv32a,
  generateName,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  nameIsDNSSubdomain,
  NAME_ALPHABET,
  podTemplateHash,
  randomSuffix,
  safeEncodeString,
} from '../../../src-main/api/names.ts';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

test('DNS-1123 subdomain: exact upstream message, length limit', () => {
  assert.deepEqual(isDNS1123Subdomain('example.com'), []);
  assert.deepEqual(isDNS1123Subdomain('Bad_Name'), [SUBDOMAIN_MSG]);
  assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
});

test('DNS-1123 label: dots get their own message; bad characters the regex message', () => {
  assert.deepEqual(isDNS1123Label('my-ns'), []);
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Label('-x'), [LABEL_MSG]);
  assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('DNS-1035 label rejects a leading digit (service names)', () => {
  assert.deepEqual(isDNS1035Label('web'), []);
  assert.deepEqual(isDNS1035Label('1web'), [DNS1035_MSG]);
});

test('qualified names and label values', () => {
  assert.deepEqual(isQualifiedName('app.kubernetes.io/name'), []);
  assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('a b'), [
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
  assert.deepEqual(isValidLabelValue(''), []);
  assert.deepEqual(isValidLabelValue('a b'), [
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]);
});

test('port names', () => {
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('8080'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('a--b-'), ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
});

test('generateName prefixes keep their trailing dash valid', () => {
  assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
  assert.deepEqual(nameIsDNSSubdomain('web-', false), [SUBDOMAIN_MSG]);
});

test('safeEncodeString maps digits 0..9 to 4 5 6 7 8 9 b c d f', () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('randomSuffix and generateName use the real alphabet and cut the base to 58', () => {
  const s = randomSuffix();
  assert.equal(s.length, 5);
  for (const c of s) assert.ok(NAME_ALPHABET.includes(c));
  const name = generateName('x'.repeat(70) + '-');
  assert.equal(name.length, 63);
  assert.ok(name.startsWith('x'.repeat(58)));
  let i = 0;
  const seq = [0, 0.99, 0.5, 0.1, 0.3];
  assert.equal(generateName('web-', () => seq[i++]), `web-b9${NAME_ALPHABET[13]}${NAME_ALPHABET[2]}${NAME_ALPHABET[8]}`);
});

test('fnv32a matches the reference vectors', () => {
  assert.equal(fnv32a(Buffer.from('')), 0x811c9dc5);
  assert.equal(fnv32a(Buffer.from('a')), 0xe40c292c);
  assert.equal(fnv32a(Buffer.from('foobar')), 0xbf9cf968);
});

test('podTemplateHash is stable, template-sensitive, collision-count-sensitive and safe-encoded', () => {
  const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
  const h = podTemplateHash(t);
  assert.equal(h, podTemplateHash(structuredClone(t)));
  assert.match(h, /^[456789bcdf]{1,10}$/);
  assert.notEqual(podTemplateHash({ ...t, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }), h);
  assert.notEqual(podTemplateHash(t, 1), h);
  assert.notEqual(podTemplateHash(t, 1), podTemplateHash(t, 2));
});
