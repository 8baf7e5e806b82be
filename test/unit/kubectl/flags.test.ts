import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseArgs, splitCommand } from '../../../src-main/kubectl/flags.ts';

test('flags come from the real help text: types, shorthands, interspersed args', () => {
  const p = parseArgs('get', ['pods', '-n', 'kube-system', '-owide', '--show-labels', 'x', '-l=app=web', '--chunk-size=10']);
  assert.deepEqual(p.args, ['pods', 'x']);
  assert.equal(p.flags.str('namespace'), 'kube-system');
  assert.equal(p.flags.str('output'), 'wide');
  assert.equal(p.flags.bool('show-labels'), true);
  assert.equal(p.flags.str('selector'), 'app=web');
  assert.equal(p.flags.int('chunk-size'), 10);
  assert.equal(p.flags.bool('watch'), false);
});

test('bool shorthand chains and -- for exec', () => {
  const p = parseArgs('exec', ['-it', 'pod', '--', 'sh', '-c', 'ls']);
  assert.equal(p.flags.bool('stdin'), true);
  assert.equal(p.flags.bool('tty'), true);
  assert.equal(p.argsLenAtDash, 1);
  assert.deepEqual(p.args, ['pod', 'sh', '-c', 'ls']);
});

test('pflag error texts', () => {
  assert.throws(() => parseArgs('get', ['--foo']), new FlagError('unknown flag: --foo'));
  assert.throws(() => parseArgs('get', ['-z']), new FlagError("unknown shorthand flag: 'z' in -z"));
  assert.throws(() => parseArgs('get', ['-n']), new FlagError("flag needs an argument: 'n' in -n"));
  assert.throws(() => parseArgs('scale', ['--replicas']), new FlagError('flag needs an argument: --replicas'));
  assert.throws(() => parseArgs('scale', ['--replicas=x']), new FlagError('invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax'));
  assert.throws(() => parseArgs('get', ['--show-labels=maybe']), /strconv.ParseBool: parsing "maybe"/);
});

test('slices split on commas, arrays do not; NoOptDefVal flags', () => {
  const p = parseArgs('create configmap', ['cm', '--from-literal=a=b,c', '--from-literal=d=e']);
  assert.deepEqual(p.flags.list('from-literal'), ['a=b,c', 'd=e']);
  const d = parseArgs('apply', ['-f', 'a.yaml', '--dry-run']);
  assert.equal(d.flags.str('dry-run'), 'unchanged');
  assert.deepEqual(d.flags.list('filename'), ['a.yaml']);
});

test('command lookup skips global flags and their values', () => {
  const known = (p: string) => ['get', 'create', 'create service', 'create service nodeport'].includes(p);
  assert.deepEqual(splitCommand(['-n', 'x', 'get', 'pods'], known), { path: 'get', rest: ['-n', 'x', 'pods'] });
  assert.deepEqual(splitCommand(['create', 'service', 'nodeport', 'a', '--tcp=1:2'], known), { path: 'create service nodeport', rest: ['a', '--tcp=1:2'] });
  assert.equal(splitCommand(['foo'], known).path, '?foo');
});
