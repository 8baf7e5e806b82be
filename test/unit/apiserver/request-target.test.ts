/** Request targets read as Go's net/http reads them, and the request info kube-apiserver authorizes by. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestTarget, splitPath } from '../../../src-main/apiserver/request-target.ts';
import { requestInfoOf } from '../../../src-main/apiserver/request-info.ts';
import { goQuote } from '../../../src-main/api/go-quote.ts';

test('paths are decoded once and taken literally: dot segments stay, %2F splits, bad escapes are refused', () => {
  assert.equal(parseRequestTarget('/api/v1/namespaces/../configmaps')?.path, '/api/v1/namespaces/../configmaps');
  assert.equal(parseRequestTarget('/api/v1/namespaces/%2e%2e/configmaps')?.path, '/api/v1/namespaces/../configmaps');
  assert.deepEqual(splitPath(parseRequestTarget('/api/v1/namespaces/a%2Fb/pods/')!.path), ['api', 'v1', 'namespaces', 'a', 'b', 'pods']);
  assert.equal(parseRequestTarget('/api/v1/%zz'), undefined);
  assert.equal(parseRequestTarget('/api/v1/%f'), undefined);
  assert.equal(parseRequestTarget('https://example.com/api?x=1')?.path, '/api');
});

test('invalid UTF-8 from an escape prints as Go prints the raw byte', () => {
  assert.equal(goQuote(parseRequestTarget('/%ff')!.path), '"/\\xff"');
  assert.equal(goQuote(parseRequestTarget('/%e2%82%ac%e2%82')!.path), '"/€\\xe2\\x82"');
  assert.equal(goQuote('a\tb\x01"\\\u200b'), '"a\\tb\\x01\\"\\\\\\u200b"');
});

test('queries as url.ParseQuery: + is a space, pairs with a bad escape or a semicolon are dropped', () => {
  assert.deepEqual([...parseRequestTarget('/p?a=1+2&b=%zz&c=x;y&d=%2F&e')!.query], [['a', '1 2'], ['d', '/'], ['e', '']]);
});

test('request info: verbs from method and query, namespace, subresource, non-resource paths', () => {
  const q = new URLSearchParams();
  assert.deepEqual(
    (({ verb, namespace, resource, name, subresource, apiGroup }) => ({ verb, namespace, resource, name, subresource, apiGroup }))(
      requestInfoOf('PUT', '/apis/apps/v1/namespaces/ns/deployments/web/scale', q),
    ),
    { verb: 'update', namespace: 'ns', resource: 'deployments', name: 'web', subresource: 'scale', apiGroup: 'apps' },
  );
  assert.equal(requestInfoOf('GET', '/api/v1/pods', new URLSearchParams('watch=true')).verb, 'watch');
  assert.equal(requestInfoOf('GET', '/api/v1/pods', new URLSearchParams('watch=false')).verb, 'list');
  assert.equal(requestInfoOf('DELETE', '/api/v1/namespaces/x/pods', q).verb, 'deletecollection');
  assert.equal(requestInfoOf('GET', '/api/v1/namespaces/x', q).name, 'x');
  assert.equal(requestInfoOf('PUT', '/api/v1/namespaces/x/finalize', q).subresource, 'finalize');
  assert.equal(requestInfoOf('FOO', '/api/v1/pods', q).verb, '');
  assert.deepEqual([requestInfoOf('HEAD', '/version', q).verb, requestInfoOf('HEAD', '/version', q).isResourceRequest], ['head', false]);
});
