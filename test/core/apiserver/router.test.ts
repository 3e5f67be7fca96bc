import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { route } from '../../../core/apiserver/router.js';

describe('route', () => {
  const cases = [
    { path: '/healthz', want: { type: 'health' } },
    { path: '/version', want: { type: 'version' } },
    { path: '/api', want: { type: 'api' } },
    { path: '/apis/', want: { type: 'apis' } },
    { path: '/apis/apps', want: { type: 'group', group: 'apps' } },
    { path: '/api/v1', want: { type: 'groupVersion', group: '', version: 'v1' } },
    { path: '/openapi/v3/apis/apps/v1', want: { type: 'openapiV3', path: 'apis/apps/v1' } },
    { path: '/api/v1/namespaces', want: { type: 'resource', path: { group: '', version: 'v1', plural: 'namespaces', watchPrefix: false } } },
    { path: '/api/v1/namespaces/ns1', want: { type: 'resource', path: { group: '', version: 'v1', plural: 'namespaces', name: 'ns1', watchPrefix: false } } },
    { path: '/api/v1/namespaces/ns1/finalize', want: { type: 'resource', path: { group: '', version: 'v1', plural: 'namespaces', name: 'ns1', subresource: 'finalize', watchPrefix: false } } },
    { path: '/api/v1/namespaces/ns1/pods/p/log', want: { type: 'resource', path: { group: '', version: 'v1', namespace: 'ns1', plural: 'pods', name: 'p', subresource: 'log', watchPrefix: false } } },
    { path: '/apis/apps/v1/deployments', want: { type: 'resource', path: { group: 'apps', version: 'v1', plural: 'deployments', watchPrefix: false } } },
    { path: '/apis/apps/v1/watch/namespaces/a/deployments/d', want: { type: 'resource', path: { group: 'apps', version: 'v1', namespace: 'a', plural: 'deployments', name: 'd', watchPrefix: true } } },
    { path: '/api/v1/nodes/n1/status', want: { type: 'resource', path: { group: '', version: 'v1', plural: 'nodes', name: 'n1', subresource: 'status', watchPrefix: false } } },
    { path: '/api/v1/namespaces/a/pods/p/log/extra', want: { type: 'unknown' } },
    { path: '/api/v1/%E0%A4%A', want: { type: 'unknown' } },
    { path: '/nope', want: { type: 'unknown' } },
    { path: '/api/v1/namespaces/a/../b/configmaps', want: { type: 'unknown' } },
    { path: '/api/v1/namespaces/a/configmaps/%2e%2E', want: { type: 'unknown' } },
    { path: '/api/v1/namespaces/.%2e/configmaps', want: { type: 'unknown' } },
    { path: '/api/v1/namespaces/b/configmaps/cm/.', want: { type: 'unknown' } },
    { path: '/api/v1/namespaces/a\\..\\b/configmaps', want: { type: 'unknown' } },
    { path: '/api/v1/namespaces/a%5cb/configmaps', want: { type: 'unknown' } },
    { path: '/api/v1/namespaces/a%2Fb/configmaps', want: { type: 'unknown' } },
    { path: '/api/v1/watch/namespaces/%2e%2e/configmaps', want: { type: 'unknown' } },
    { path: '/healthz/..', want: { type: 'unknown' } },
  ];
  for (const c of cases) test(c.path, () => assert.deepEqual(route(c.path), c.want));
});
