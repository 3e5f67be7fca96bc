import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serverSideApply } from '../../../../core/apiserver/patch/index.js';
import { deploymentSchema } from './schemas.js';

// kubectl's client-side → server-side apply migration hands the client-side fields (recorded
// from the defaulted live object, protocol included) to the `kubectl` Apply manager; the
// applied configuration then leaves out `protocol`, one of the ports' list-map keys.
const withPorts = (ports: Record<string, unknown>[], managedFields?: unknown[]): Record<string, unknown> => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', ...(managedFields ? { managedFields } : {}) },
  spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx', ports }] } } },
});

const migrated = [{
  manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1',
  fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': {
    '.': {}, 'f:image': {}, 'f:name': {},
    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
  } } } } } },
}];

describe('server-side apply: list-map key fields missing from the configuration take their default', () => {
  const cases = [
    { description: 'unchanged ports survive the first server-side apply', applied: [{ containerPort: 80 }], want: [{ containerPort: 80, protocol: 'TCP' }] },
    { description: 'an added port is appended', applied: [{ containerPort: 80 }, { containerPort: 443 }], want: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }] },
    { description: 'a port left out is still removed', applied: [{ containerPort: 443 }], want: [{ containerPort: 443, protocol: 'TCP' }] },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const live = withPorts([{ containerPort: 80, protocol: 'TCP' }], migrated);
      const r = serverSideApply(live, withPorts(c.applied), 'kubectl', deploymentSchema, { force: true });
      assert.deepEqual(r.conflicts, []);
      const spec = r.object.spec as { template: { spec: { containers: { ports?: unknown }[] } } };
      assert.deepEqual(spec.template.spec.containers[0]?.ports, c.want);
    });
  }
});
