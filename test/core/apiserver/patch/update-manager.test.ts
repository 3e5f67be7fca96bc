import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conflictError, recordUpdateManager } from '../../../../core/apiserver/patch/index.js';
import { apply, config, entries, entry, get, now, ok, owns, update, type Entry, type Obj } from './apply-fixtures.js';
import { deploymentSchema } from './schemas.js';

describe('recordUpdateManager', () => {
  it('a create records every field as Update', () => {
    const created = recordUpdateManager(undefined, config({ replicas: 1 }), 'kubectl-create', deploymentSchema, { now });
    const e = entry(created, 'kubectl-create');
    assert.equal(e?.operation, 'Update');
    assert.equal(e?.time, '2026-01-02T03:04:05Z');
    assert.ok(owns(created, 'kubectl-create', 'f:spec', 'f:replicas'));
    assert.equal(owns(created, 'kubectl-create', 'f:metadata', 'f:name'), false, 'identity fields are not tracked');
  });

  it('an update takes only the fields it changed', () => {
    const applied = ok(undefined, config({ replicas: 2 }));
    const edited = update(applied, 'kubectl-edit', (o) => ((get(o, 'spec', 'template', 'spec', 'containers', 0) as Obj).image = 'custom'));
    assert.deepEqual(entry(edited, 'kubectl-edit')?.fieldsV1, {
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:image': {} } } } } },
    });
    assert.equal(owns(edited, 'kubectl', 'f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image'), false);
    assert.ok(owns(edited, 'kubectl', 'f:spec', 'f:replicas'));
  });

  it('a removed field leaves every set', () => {
    const applied = ok(undefined, config({ replicas: 2 }));
    const edited = update(applied, 'kubectl-edit', (o) => delete (o.spec as Obj).replicas);
    assert.equal(owns(edited, 'kubectl', 'f:spec', 'f:replicas'), false);
    assert.equal(entry(edited, 'kubectl-edit'), undefined, 'removing sets nothing, so no entry');
  });

  it('a write that omits managedFields keeps those of the old object', () => {
    const applied = ok(undefined, config({ replicas: 2 }));
    const after = structuredClone(applied);
    delete (after.metadata as Obj).managedFields;
    (after.spec as Obj).replicas = 4;
    const out = recordUpdateManager(applied, after, 'scaler', deploymentSchema, { now });
    assert.deepEqual(entries(out).map((e) => e.manager), ['kubectl', 'scaler']);
  });

  it('a live object with a keyless list element is tracked by index instead of failing', () => {
    const after = config({ containers: [{ image: 'no-name' }] });
    const out = recordUpdateManager(undefined, after, 'legacy', deploymentSchema);
    assert.ok(owns(out, 'legacy', 'f:spec', 'f:template', 'f:spec', 'f:containers', 'i:0', 'f:image'));
  });

  it('a no-op write changes nothing', () => {
    const applied = ok(undefined, config({ replicas: 2 }));
    assert.deepEqual(update(applied, 'noop', () => undefined), applied);
  });

  it('a scale through the scale subresource is recorded with subresource scale, and an apply then conflicts', () => {
    const applied = ok(undefined, config({ replicas: 2 }));
    const after = structuredClone(applied);
    (after.spec as Obj).replicas = 5;
    const scaled = recordUpdateManager(applied, after, 'kubectl', deploymentSchema, { subresource: 'scale' });
    const e = entries(scaled).find((x) => (x as Entry & { subresource?: string }).subresource === 'scale');
    assert.deepEqual(e?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    const r = apply(scaled, config({ replicas: 2 }));
    assert.deepEqual(r.conflicts, [{ manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', subresource: 'scale', field: '.spec.replicas' }]);
    assert.equal(conflictError(r.conflicts).message, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  });

  it('status writes are recorded against the status subresource', () => {
    const applied = ok(undefined, config({ replicas: 2 }));
    const after = { ...structuredClone(applied), status: { replicas: 2 } };
    const out = recordUpdateManager(applied, after, 'deployment-controller', deploymentSchema, { subresource: 'status' });
    const e = entry(out, 'deployment-controller') as Entry & { subresource?: string };
    assert.equal(e.subresource, 'status');
    assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:replicas': {} } });
  });
});
