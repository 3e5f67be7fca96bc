/**
 * A minimal OpenAPI v3 document per group version: per kind, the resource paths with a
 * `patch` operation carrying `x-kubernetes-group-version-kind` and a `fieldValidation`
 * parameter (how kubectl detects server-side field validation), and component schemas
 * from each kind's structural schema (what `kubectl explain` shows).
 */
import { createHash } from 'node:crypto';
import type { KindInfo } from '../api/index.js';

import { groupsOf } from './discovery.js';
import type { ApiRegistry } from './types.js';

/** `apps/v1` → `apis/apps/v1`; `v1` → `api/v1`. */
function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

export function schemaName(k: KindInfo): string {
  const g = k.group === '' ? 'core' : k.group;
  const reversed = g.split('.').reverse().join('.');
  return k.custom ? `${reversed}.${k.version}.${k.kind}` : `io.k8s.api.${g.split('.')[0]}.${k.version}.${k.kind}`;
}

function groupVersions(registry: ApiRegistry): { group: string; version: string }[] {
  const out = [{ group: '', version: 'v1' }];
  for (const [group, versions] of groupsOf(registry)) for (const version of versions) out.push({ group, version });
  return out;
}

const param = (name: string, where: 'query' | 'path', type = 'string'): Record<string, unknown> =>
  ({ name, in: where, ...(where === 'path' ? { required: true } : {}), schema: { type, uniqueItems: true } });

function operations(k: KindInfo): Record<string, unknown> {
  const base = `/${gvPath(k.group, k.version)}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}`;
  const gvk = { group: k.group, version: k.version, kind: k.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(k)}` };
  const json = { 'application/json': { schema: ref } };
  const ok = { '200': { description: 'OK', content: json } };
  const writeParams = ['dryRun', 'fieldManager', 'fieldValidation'].map((n) => param(n, 'query'));
  const op = (action: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
    ({ operationId: `${action}${k.kind}`, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, responses: ok, ...extra });
  const pathParams = k.namespaced ? [param('namespace', 'path')] : [];
  return {
    [base]: {
      get: op('list'), post: op('post', { parameters: writeParams, requestBody: { content: json } }),
      parameters: pathParams,
    },
    [`${base}/{name}`]: {
      get: op('get'),
      put: op('put', { parameters: writeParams, requestBody: { content: json } }),
      patch: op('patch', {
        parameters: [...writeParams, param('force', 'query', 'boolean')],
        requestBody: { content: Object.fromEntries(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].map((t) => [t, { schema: { type: 'object' } }])) },
      }),
      delete: op('delete'),
      parameters: [param('name', 'path'), ...pathParams],
    },
  };
}

/** The OpenAPI document for one group version (`api/v1`, `apis/apps/v1`), or undefined. */
export function openApiDoc(registry: ApiRegistry, path: string): Record<string, unknown> | undefined {
  const gv = groupVersions(registry).find((x) => gvPath(x.group, x.version) === path);
  if (!gv) return undefined;
  const kinds = registry.all().filter((k) => k.group === gv.group && k.version === gv.version);
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const k of kinds) {
    Object.assign(paths, operations(k));
    schemas[schemaName(k)] = { ...k.schema, 'x-kubernetes-group-version-kind': [{ group: k.group, version: k.version, kind: k.kind }] };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}

function hashOf(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 128).toUpperCase();
}

/** The `/openapi/v3` index: one entry per served group version, with a content hash. */
export function openApiIndex(registry: ApiRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const { group, version } of groupVersions(registry)) {
    const p = gvPath(group, version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(openApiDoc(registry, p))}` };
  }
  return { paths };
}


/**
 * `/openapi/v2`: an empty Swagger document. kubectl falls back to it only for group versions
 * missing from `/openapi/v3` (e.g. a CRD created earlier in the same `apply`); finding no schema
 * there, it skips client-side validation instead of failing. client-go asks for the protobuf form
 * (`openapi_v2.Document`), whose only field here is `swagger: "2.0"` (field 1).
 */
export function openApiV2(accept: string | undefined): { body: Buffer; contentType: string } {
  if ((accept ?? '').includes('protobuf')) {
    return { body: Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]), contentType: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' };
  }
  const doc = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths: {}, definitions: {} };
  return { body: Buffer.from(JSON.stringify(doc)), contentType: 'application/json' };
}
