/**
 * resource.Quantity parsing and String(), checked against the tables of apimachinery's quantity_test.go
 * (TestQuantityParse, TestQuantityString, TestQuantityParseEmit, TestQuantityRoundUp, TestJSONWhitespace) and the
 * forms kube-apiserver 1.32 stores.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  QUANTITY_ERRORS,
  canonicalString,
  decodeQuantity,
  parseQuantity,
  quantityString,
  roundUp,
  storedQuantity,
  type Format,
  type Quantity,
} from '../../../src-main/api/quantity/index.ts';

/** quantity_test.go's decQuantity(i, exponent, format): i × 10^exponent held as an inf.Dec. */
const decQuantity = (i: bigint | number, exponent: number, format: Format): Quantity => ({
  kind: 'dec',
  unscaled: BigInt(i),
  scale: -exponent,
  format,
  s: '',
});

/** The exact value, comparable across representations (DecimalExponent's canonical form is unique per value). */
const valueOf = (q: Quantity) => canonicalString({ ...q, format: 'DecimalExponent', s: '' });

test('ParseQuantity keeps the values and formats of TestQuantityParse', () => {
  const MAX = (1n << 63n) - 1n;
  const table: Array<[string, bigint | number, number, Format]> = [
    ['0', 0, 0, 'DecimalSI'], ['0n', 0, 0, 'DecimalSI'], ['0u', 0, 0, 'DecimalSI'], ['0m', 0, 0, 'DecimalSI'],
    ['0Ki', 0, 0, 'BinarySI'], ['0k', 0, 0, 'DecimalSI'], ['0Mi', 0, 0, 'BinarySI'], ['0M', 0, 0, 'DecimalSI'],
    ['0Gi', 0, 0, 'BinarySI'], ['0G', 0, 0, 'DecimalSI'], ['0Ti', 0, 0, 'BinarySI'], ['0T', 0, 0, 'DecimalSI'],
    ['1', 1, 0, 'DecimalSI'],
    ['1Ki', 1024, 0, 'BinarySI'], ['8Ki', 8 * 1024, 0, 'BinarySI'], ['7Mi', 7 * 1024 ** 2, 0, 'BinarySI'],
    ['6Gi', 6 * 1024 ** 3, 0, 'BinarySI'], ['5Ti', 5 * 1024 ** 4, 0, 'BinarySI'], ['4Pi', 4n * 1024n ** 5n, 0, 'BinarySI'],
    ['3Ei', 3n * 1024n ** 6n, 0, 'BinarySI'], ['10Ti', 10 * 1024 ** 4, 0, 'BinarySI'], ['100Ti', 100 * 1024 ** 4, 0, 'BinarySI'],
    ['5n', 5, -9, 'DecimalSI'], ['4u', 4, -6, 'DecimalSI'], ['3m', 3, -3, 'DecimalSI'], ['9', 9, 0, 'DecimalSI'],
    ['8k', 8, 3, 'DecimalSI'], ['50k', 5, 4, 'DecimalSI'], ['7M', 7, 6, 'DecimalSI'], ['6G', 6, 9, 'DecimalSI'],
    ['5T', 5, 12, 'DecimalSI'], ['40T', 4, 13, 'DecimalSI'], ['300T', 3, 14, 'DecimalSI'], ['2P', 2, 15, 'DecimalSI'],
    ['1E', 1, 18, 'DecimalSI'],
    ['1E-3', 1, -3, 'DecimalExponent'], ['1e3', 1, 3, 'DecimalExponent'], ['1E6', 1, 6, 'DecimalExponent'],
    ['1e9', 1, 9, 'DecimalExponent'], ['1E12', 1, 12, 'DecimalExponent'], ['1e15', 1, 15, 'DecimalExponent'],
    ['1E18', 1, 18, 'DecimalExponent'], ['1e14', 1, 14, 'DecimalExponent'], ['1e13', 1, 13, 'DecimalExponent'],
    ['100.035k', 100035, 0, 'DecimalSI'],
    ['0.001', 1, -3, 'DecimalSI'], ['0.0005k', 5, -1, 'DecimalSI'], ['0.005', 5, -3, 'DecimalSI'], ['0.05', 5, -2, 'DecimalSI'],
    ['0.5', 5, -1, 'DecimalSI'], ['0.00050k', 5, -1, 'DecimalSI'], ['0.00500', 5, -3, 'DecimalSI'], ['0.05000', 5, -2, 'DecimalSI'],
    ['0.50000', 5, -1, 'DecimalSI'], ['0.5e0', 5, -1, 'DecimalExponent'], ['0.5e-1', 5, -2, 'DecimalExponent'],
    ['0.5e-2', 5, -3, 'DecimalExponent'], ['10.035M', 10035, 3, 'DecimalSI'],
    ['1.2e3', 12, 2, 'DecimalExponent'], ['1.3E+6', 13, 5, 'DecimalExponent'], ['1.40e9', 14, 8, 'DecimalExponent'],
    ['1.53E12', 153, 10, 'DecimalExponent'], ['1.6e15', 16, 14, 'DecimalExponent'], ['1.7E18', 17, 17, 'DecimalExponent'],
    ['9.01', 901, -2, 'DecimalSI'], ['8.1k', 81, 2, 'DecimalSI'], ['7.123456M', 7123456, 0, 'DecimalSI'],
    ['6.987654321G', 6987654321, 0, 'DecimalSI'], ['5.444T', 5444, 9, 'DecimalSI'], ['40.1T', 401, 11, 'DecimalSI'],
    ['300.2T', 3002, 11, 'DecimalSI'], ['2.5P', 25, 14, 'DecimalSI'], ['1.01E', 101, 16, 'DecimalSI'],
    // Things that saturate/round.
    ['3.001n', 4, -9, 'DecimalSI'], ['1.1E-9', 2, -9, 'DecimalExponent'], ['0.0000000001', 1, -9, 'DecimalSI'],
    ['0.0000000005', 1, -9, 'DecimalSI'], ['0.00000000050', 1, -9, 'DecimalSI'], ['0.5e-9', 1, -9, 'DecimalExponent'],
    ['0.9n', 1, -9, 'DecimalSI'], ['0.00000012345', 124, -9, 'DecimalSI'], ['0.00000012354', 124, -9, 'DecimalSI'],
    ['9Ei', MAX, 0, 'BinarySI'], ['9223372036854775807Ki', MAX, 0, 'BinarySI'], ['12E', 12, 18, 'DecimalSI'],
    // Fractional binary.
    ['100.035Ki', 10243584, -2, 'BinarySI'], ['0.5Mi', 0.5 * 1024 * 1024, 0, 'BinarySI'], ['0.05Gi', 536870912, -1, 'BinarySI'],
    ['0.025Ti', 274877906944, -1, 'BinarySI'],
    // Things written by trolls.
    ['0.000000000001Ki', 2, -9, 'DecimalSI'], ['.001', 1, -3, 'DecimalSI'], ['.0001k', 100, -3, 'DecimalSI'],
    ['1.', 1, 0, 'DecimalSI'], ['1.G', 1, 9, 'DecimalSI'],
  ];
  for (const [input, i, exponent, format] of table) {
    const want = decQuantity(i, exponent, format);
    const negated = decQuantity(-BigInt(i), exponent, format);
    for (const [sign, wantValue] of [['', want], ['+', want], ['-', negated]] as const) {
      const got = parseQuantity(sign + input);
      assert.equal(valueOf(got), valueOf(wantValue), `${sign}${input}`);
      assert.equal(got.format, format, `${sign}${input} format`);
    }
  }
});

test('ParseQuantity rejects malformed input with the decoder\'s three messages', () => {
  const cases: Array<[string, keyof typeof QUANTITY_ERRORS]> = [
    ['', 'format'], ['1.1.M', 'format'], ['1+1.0M', 'format'], ['aoeu', 'format'], [' 1', 'format'], ['1 ', 'format'],
    ['1Gb', 'format'], ['1KB', 'format'], ['1.2.3', 'format'], ['true', 'format'],
    ['0.1mi', 'suffix'], ['0.1am', 'format'], ['.5i', 'suffix'], ['1i', 'suffix'], ['-3.01i', 'suffix'], ['-3.01e-', 'suffix'],
    ['1K', 'suffix'], ['1e', 'suffix'], ['1kk', 'suffix'], ['1m5', 'suffix'], ['1e99999999999999999999', 'suffix'],
    ['e-10', 'numeric'],
  ];
  for (const [input, kind] of cases) assert.throws(() => parseQuantity(input), { name: 'QuantityError', message: QUANTITY_ERRORS[kind] }, input);
  assert.equal(QUANTITY_ERRORS.format, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
});

test('String() matches TestQuantityString, and parsing a canonical string caches it', () => {
  const table: Array<[Quantity, string, string]> = [
    [decQuantity(1024 * 1024 * 1024, 0, 'BinarySI'), '1Gi', '1024Mi'],
    [decQuantity(300 * 1024 * 1024, 0, 'BinarySI'), '300Mi', '307200Ki'],
    [decQuantity(6 * 1024, 0, 'BinarySI'), '6Ki', ''],
    [decQuantity(1001 * 1024 * 1024 * 1024, 0, 'BinarySI'), '1001Gi', '1025024Mi'],
    [decQuantity(1024 * 1024 * 1024 * 1024, 0, 'BinarySI'), '1Ti', '1024Gi'],
    [decQuantity(5, 0, 'BinarySI'), '5', '5000m'],
    [decQuantity(500, -3, 'BinarySI'), '500m', '0.5'],
    [decQuantity(1, 9, 'DecimalSI'), '1G', '1000M'],
    [decQuantity(1000, 6, 'DecimalSI'), '1G', '0.001T'],
    [decQuantity(1000000, 3, 'DecimalSI'), '1G', ''],
    [decQuantity(1000000000, 0, 'DecimalSI'), '1G', ''],
    [decQuantity(1, -3, 'DecimalSI'), '1m', '1000u'],
    [decQuantity(80, -3, 'DecimalSI'), '80m', ''],
    [decQuantity(1080, -3, 'DecimalSI'), '1080m', '1.08'],
    [decQuantity(108, -2, 'DecimalSI'), '1080m', '1080000000n'],
    [decQuantity(10800, -4, 'DecimalSI'), '1080m', ''],
    [decQuantity(300, 6, 'DecimalSI'), '300M', ''],
    [decQuantity(1, 12, 'DecimalSI'), '1T', ''],
    [decQuantity(1, 18, 'DecimalSI'), '1E', ''],
    [decQuantity(1234567, 6, 'DecimalSI'), '1234567M', ''],
    [decQuantity(1234567, -3, 'BinarySI'), '1234567m', ''],
    [decQuantity(3, 3, 'DecimalSI'), '3k', ''],
    [decQuantity(1025, 0, 'BinarySI'), '1025', ''],
    [decQuantity(0, 0, 'DecimalSI'), '0', ''],
    [decQuantity(0, 0, 'BinarySI'), '0', ''],
    [decQuantity(1, 9, 'DecimalExponent'), '1e9', '.001e12'],
    [decQuantity(1, -3, 'DecimalExponent'), '1e-3', '0.001e0'],
    [decQuantity(1, -9, 'DecimalExponent'), '1e-9', '1000e-12'],
    [decQuantity(80, -3, 'DecimalExponent'), '80e-3', ''],
    [decQuantity(300, 6, 'DecimalExponent'), '300e6', ''],
    [decQuantity(1, 12, 'DecimalExponent'), '1e12', ''],
    [decQuantity(1, 3, 'DecimalExponent'), '1e3', ''],
    [decQuantity(3, 3, 'DecimalExponent'), '3e3', ''],
    [decQuantity(0, 0, 'DecimalExponent'), '0', '00'],
    [decQuantity(1, -9, 'DecimalSI'), '1n', ''],
    [decQuantity(80, -9, 'DecimalSI'), '80n', ''],
    [decQuantity(1080, -9, 'DecimalSI'), '1080n', ''],
    [decQuantity(108, -8, 'DecimalSI'), '1080n', ''],
    [decQuantity(10800, -10, 'DecimalSI'), '1080n', ''],
    [decQuantity(1, -6, 'DecimalSI'), '1u', ''],
    [decQuantity(80, -6, 'DecimalSI'), '80u', ''],
    [decQuantity(1080, -6, 'DecimalSI'), '1080u', ''],
  ];
  for (const [q, expect, alternate] of table) {
    assert.equal(quantityString(q), expect);
    assert.equal(parseQuantity(expect).s, expect, `${expect} is cached on parse`);
    if (alternate) {
      const alt = parseQuantity(alternate);
      assert.equal(alt.s, '', `${alternate} is not cached`);
      assert.equal(quantityString(alt), expect, alternate);
    }
    if (q.kind === 'dec' && q.unscaled !== 0n) assert.equal(quantityString({ ...q, unscaled: -q.unscaled }), `-${expect}`);
  }
});

test('DecimalSI past "E" loses its suffix in 1.32, as kube-apiserver 1.32 serialises it', () => {
  assert.equal(quantityString(decQuantity(1, 21, 'DecimalSI')), '1');
  assert.equal(storedQuantity('1000E', false), '1');
  assert.equal(storedQuantity('1e21', false), '1e21');
});

test('parse then String() matches TestQuantityParseEmit, negated too', () => {
  const table: Array<[string, string]> = [
    ['1Ki', '1Ki'], ['1Mi', '1Mi'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'], ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'], ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
  ];
  for (const [input, expect] of table) {
    assert.equal(quantityString(parseQuantity(input)), expect, input);
    assert.equal(quantityString(parseQuantity(`-${input}`)), `-${expect}`, `-${input}`);
  }
});

test('RoundUp matches TestQuantityRoundUp, away from zero', () => {
  const table: Array<[string, number, number, number]> = [
    ['9.01', -3, 901, -2], ['9.01', -2, 901, -2], ['9.01', -1, 91, -1], ['9.01', 0, 10, 0], ['9.01', 1, 10, 0], ['9.01', 2, 100, 0],
    ['-9.01', -3, -901, -2], ['-9.01', -2, -901, -2], ['-9.01', -1, -91, -1], ['-9.01', 0, -10, 0], ['-9.01', 1, -10, 0], ['-9.01', 2, -100, 0],
  ];
  for (const [input, scale, i, exponent] of table) {
    const got = roundUp(parseQuantity(input), scale);
    assert.equal(valueOf(got), valueOf(decQuantity(i, exponent, 'DecimalSI')), `${input} to ${scale}`);
  }
});

test('decoding trims whitespace and reads JSON numbers by their text (TestJSONWhitespace)', () => {
  for (const [raw, expect] of [[' 1', '1'], ['1 ', '1'], [1, '1'], [10, '10'], [-1, '-1'], [' -1', '-1']] as const)
    assert.equal(quantityString(decodeQuantity(raw)), expect);
  assert.equal(quantityString(decodeQuantity(null)), '0');
  assert.throws(() => decodeQuantity(true), { message: QUANTITY_ERRORS.format });
  assert.throws(() => decodeQuantity({ cpu: 1 }), { message: QUANTITY_ERRORS.format });
});

test('what the apiserver stores: canonical strings, milli-units for ResourceList values, quirks of the fast path', () => {
  // Numbers arrive as kubectl encodes the YAML floats and ints: `cpu: 0.5`, `cpu: 1e3` (1000), `cpu: 2`.
  assert.equal(storedQuantity(0.5, true), '500m');
  assert.equal(storedQuantity(1e3, true), '1k');
  assert.equal(storedQuantity(2, true), '2');
  assert.equal(storedQuantity(1.5, true), '1500m');
  assert.equal(storedQuantity('1024Mi', true), '1Gi');
  assert.equal(storedQuantity('1.0', true), '1');
  assert.equal(storedQuantity('1000m', true), '1');
  assert.equal(storedQuantity('128974848', true), '128974848');
  assert.equal(storedQuantity('129e6', true), '129e6');
  assert.equal(storedQuantity('123Mi', true), '123Mi');
  assert.equal(storedQuantity('1.5Gi', true), '1536Mi');
  assert.equal(storedQuantity('-1.5Gi', true), '-1536Mi');
  assert.equal(storedQuantity('2Pi', true), '2Pi');
  assert.equal(storedQuantity('100Mi', true), '100Mi');
  // SetDefaults_ResourceList rounds up to milli-units; other quantities keep nano precision.
  assert.equal(storedQuantity('0.0001', true), '1m');
  assert.equal(storedQuantity('0.0001', false), '100u');
  assert.equal(storedQuantity('-0.0001', true), '-1m');
  assert.equal(storedQuantity('1.5m', true), '2m');
  assert.equal(storedQuantity('0.9n', false), '1n');
  // The int64 fast path keeps a string it thinks canonical: a sign, leading zeros, a trailing point survive.
  assert.equal(storedQuantity('+1', true), '+1');
  assert.equal(storedQuantity('0100', true), '0100');
  assert.equal(storedQuantity('5.', true), '5.');
  assert.equal(storedQuantity('1E3', true), '1E3');
  // Big values: an inf.Dec beyond int64 keeps every digit; BinarySI is capped at 2^63-1.
  assert.equal(storedQuantity('18446744073709551616', true), '18446744073709551616');
  assert.equal(storedQuantity('9Ei', true), '9223372036854775807');
  // Go's encoder writes 1e21 as "1e+21", as JS does; the fast path keeps it.
  assert.equal(storedQuantity(1e21, true), '1e+21');
  assert.equal(storedQuantity(1e-7, false), '100e-9');
  assert.throws(() => storedQuantity('', true), { message: QUANTITY_ERRORS.format });
});
