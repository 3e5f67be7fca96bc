import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conflictError, PatchError, recordUpdateManager, serverSideApply } from '../../../../core/apiserver/patch/index.js';
import { apply, config, entries, entry, get, now, ok, owns, update, type Entry, type Obj } from './apply-fixtures.js';
import { deploymentSchema } from './schemas.js';

describe('serverSideApply', () => {
  it('creates from nothing and records exact FieldsV1 ownership', () => {
    const obj = ok(undefined, config({ replicas: 2, labels: { app: 'web' }, finalizers: ['a.io/x'] }));
    assert.equal(get(obj, 'spec', 'replicas'), 2);
    assert.deepEqual(get(obj, 'spec', 'template', 'spec', 'containers'), [{ name: 'app', image: 'nginx:1.25' }]);
    assert.deepEqual(entries(obj), [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-01-02T03:04:05Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:finalizers': { 'v:"a.io/x"': {} }, 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': { 'f:matchLabels': { 'f:app': {} } },
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  it('keys multi-key list items with sorted keys', () => {
    const obj = ok(undefined, config({ containers: [{ name: 'app', image: 'x', ports: [{ protocol: 'TCP', containerPort: 80 }] }] }));
    assert.ok(owns(obj, 'kubectl', 'f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"app"}', 'f:ports', 'k:{"containerPort":80,"protocol":"TCP"}', 'f:containerPort'));
  });

  const reapply: { desc: string; first: Obj; second: Obj; check: (o: Obj) => void }[] = [
    {
      desc: 're-apply changes a field',
      first: config({ replicas: 2 }),
      second: config({ replicas: 3, image: 'nginx:1.27' }),
      check: (o) => {
        assert.equal(get(o, 'spec', 'replicas'), 3);
        assert.equal(get(o, 'spec', 'template', 'spec', 'containers', 0, 'image'), 'nginx:1.27');
        assert.equal(entries(o).length, 1);
      },
    },
    {
      desc: 'removing a field from the applied config removes it',
      first: config({ replicas: 2, labels: { app: 'web', tier: 'fe' } }),
      second: config({ labels: { app: 'web' } }),
      check: (o) => {
        assert.equal(get(o, 'spec', 'replicas'), undefined);
        assert.deepEqual(get(o, 'metadata', 'labels'), { app: 'web' });
        assert.equal(owns(o, 'kubectl', 'f:spec', 'f:replicas'), false);
      },
    },
    {
      desc: 'removing the last label removes the emptied labels map',
      first: config({ labels: { tier: 'fe' } }),
      second: config(),
      check: (o) => assert.equal(get(o, 'metadata', 'labels'), undefined),
    },
    {
      desc: 'removing a container from the applied config removes it',
      first: config({ containers: [{ name: 'app', image: 'a' }, { name: 'sidecar', image: 'b' }] }),
      second: config({ containers: [{ name: 'app', image: 'a' }] }),
      check: (o) => assert.deepEqual(get(o, 'spec', 'template', 'spec', 'containers'), [{ name: 'app', image: 'a' }]),
    },
    {
      desc: 'removing a field inside a keyed item removes only that field',
      first: config({ containers: [{ name: 'app', image: 'a', command: ['run'] }] }),
      second: config({ containers: [{ name: 'app', image: 'a' }] }),
      check: (o) => assert.deepEqual(get(o, 'spec', 'template', 'spec', 'containers'), [{ name: 'app', image: 'a' }]),
    },
    {
      desc: 'set lists: a finalizer no longer applied is removed',
      first: config({ finalizers: ['a.io/x', 'b.io/y'] }),
      second: config({ finalizers: ['b.io/y'] }),
      check: (o) => assert.deepEqual(get(o, 'metadata', 'finalizers'), ['b.io/y']),
    },
    {
      desc: 'status in an applied config is ignored for the main resource',
      first: config(),
      second: { ...config(), status: { replicas: 9 } },
      check: (o) => {
        assert.equal(get(o, 'status'), undefined);
        assert.equal(owns(o, 'kubectl', 'f:status'), false);
      },
    },
    {
      desc: 'explicit null sets nothing',
      first: config({ replicas: 2 }),
      second: { ...config(), spec: { ...(config().spec as Obj), replicas: null } },
      check: (o) => assert.equal(get(o, 'spec', 'replicas'), undefined),
    },
  ];
  for (const c of reapply) {
    it(c.desc, () => {
      const first = ok(undefined, c.first);
      const firstCopy = structuredClone(first);
      c.check(ok(first, c.second));
      assert.deepEqual(first, firstCopy, 'live object must not be mutated');
    });
  }

  it('unknown subtrees: maps are granular (members marked "."), lists atomic', () => {
    const withAffinity = (affinity: Obj): Obj => {
      const c = config();
      (get(c, 'spec', 'template', 'spec') as Obj).affinity = affinity;
      return c;
    };
    const first = ok(undefined, withAffinity({ nodeAffinity: { zones: ['a', 'b'], weight: 1 } }));
    assert.deepEqual(get(entry(first, 'kubectl')?.fieldsV1, 'f:spec', 'f:template', 'f:spec', 'f:affinity'), {
      'f:nodeAffinity': { '.': {}, 'f:weight': {}, 'f:zones': {} },
    });
    const second = ok(first, withAffinity({ nodeAffinity: { zones: ['c'] } }));
    assert.deepEqual(get(second, 'spec', 'template', 'spec', 'affinity'), { nodeAffinity: { zones: ['c'] } });
  });

  it('applies to the status subresource only touch status', () => {
    const live = ok(undefined, config({ replicas: 2 }));
    const r = serverSideApply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 9 }, status: { replicas: 2 } }, 'controller', deploymentSchema, { subresource: 'status' });
    assert.deepEqual(r.conflicts, []);
    assert.equal(get(r.object, 'spec', 'replicas'), 2);
    assert.deepEqual(get(r.object, 'status'), { replicas: 2 });
    const e = entry(r.object, 'controller') as Entry & { subresource?: string };
    assert.equal(e.subresource, 'status');
    assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:replicas': {} } });
  });

  it('two appliers with different values conflict; an applier is printed without apiVersion', () => {
    const a = ok(undefined, config({ replicas: 2 }), 'team-a');
    const r = apply(a, config({ replicas: 3 }), 'team-b');
    assert.deepEqual(r.conflicts, [{ manager: 'team-a', operation: 'Apply', field: '.spec.replicas' }]);
    assert.equal(conflictError(r.conflicts).message, 'Apply failed with 1 conflict: conflict with "team-a": .spec.replicas');
  });

  it('conflicts with several managers are grouped per manager, managers sorted', () => {
    const a = ok(undefined, config({ replicas: 2 }), 'team-a');
    const both = ok(a, config({ replicas: 2 }), 'team-b');
    const r = apply(both, config({ replicas: 3 }), 'team-c');
    assert.equal(conflictError(r.conflicts).message, 'Apply failed with 2 conflicts: conflicts with "team-a":\n- .spec.replicas\nconflicts with "team-b":\n- .spec.replicas');
  });

  it('a field another manager also owns is kept when one applier drops it', () => {
    const a = ok(undefined, config({ replicas: 2 }), 'team-a');
    const both = ok(a, config({ replicas: 2 }), 'team-b');
    assert.ok(owns(both, 'team-a', 'f:spec', 'f:replicas') && owns(both, 'team-b', 'f:spec', 'f:replicas'), 'same value: shared ownership');
    const dropped = ok(both, config(), 'team-a');
    assert.equal(get(dropped, 'spec', 'replicas'), 2);
    assert.equal(owns(dropped, 'team-a', 'f:spec', 'f:replicas'), false);
    assert.ok(owns(dropped, 'team-b', 'f:spec', 'f:replicas'));
  });

  it('a field taken over by an Update (e.g. the HPA) survives the applier dropping it', () => {
    const applied = ok(undefined, config({ replicas: 2 }));
    const scaled = update(applied, 'hpa', (o) => ((o.spec as Obj).replicas = 7));
    assert.ok(owns(scaled, 'hpa', 'f:spec', 'f:replicas'));
    assert.equal(owns(scaled, 'kubectl', 'f:spec', 'f:replicas'), false, 'the update takes ownership');
    const reapplied = ok(scaled, config({ image: 'nginx:1.27' }));
    assert.equal(get(reapplied, 'spec', 'replicas'), 7);
  });

  it('fields set by others and never applied are kept', () => {
    const applied = ok(undefined, config());
    const defaulted = update(applied, 'defaulter', (o) => {
      const c = get(o, 'spec', 'template', 'spec', 'containers', 0) as Obj;
      c.imagePullPolicy = 'IfNotPresent';
    });
    const reapplied = ok(defaulted, config({ image: 'nginx:1.27' }));
    assert.deepEqual(get(reapplied, 'spec', 'template', 'spec', 'containers'), [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' }]);
  });

  const invalid: { desc: string; containers: Obj[]; message: RegExp }[] = [
    { desc: 'duplicate keys', containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }], message: /\.spec\.template\.spec\.containers: duplicate entries for key \[name="a"\]/ },
    { desc: 'a keyed element without its key', containers: [{ image: 'x' }], message: /has none of its keys/ },
  ];
  for (const c of invalid) {
    it(`rejects an applied configuration with ${c.desc}`, () => {
      assert.throws(() => apply(undefined, config({ containers: c.containers })), (e: unknown) => e instanceof PatchError && e.code === 422 && c.message.test(e.message));
    });
  }

  describe('conflicts', () => {
    const csa = (): Obj =>
      recordUpdateManager(undefined, { ...config({ replicas: 2 }), metadata: { name: 'web', namespace: 'default', uid: 'u1' } }, 'kubectl-client-side-apply', deploymentSchema, { now });

    it('a different value for a field another manager owns conflicts, with Kubernetes message', () => {
      const live = csa();
      const r = apply(live, config({ replicas: 5 }));
      assert.deepEqual(r.conflicts, [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', field: '.spec.replicas' }]);
      assert.deepEqual(r.object, live, 'unforced conflicts leave the object unchanged');
      const err = conflictError(r.conflicts);
      assert.equal(err.code, 409);
      assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
      assert.deepEqual(err.toStatus().details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);
    });

    it('conflicts inside keyed lists name the item by key', () => {
      const r = apply(csa(), config({ replicas: 2, image: 'other' }));
      assert.deepEqual(r.conflicts, [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', field: '.spec.template.spec.containers[name="app"].image' }]);
    });

    it('several conflicts with one manager are listed', () => {
      const r = apply(csa(), config({ replicas: 5, image: 'other' }));
      assert.equal(r.conflicts.length, 2);
      assert.match(conflictError(r.conflicts).message, /^Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps\/v1:\n- \.spec\.replicas\n- \.spec\.template/);
    });

    it('the same value is not a conflict: ownership is shared', () => {
      const obj = ok(csa(), config({ replicas: 2 }));
      assert.ok(owns(obj, 'kubectl', 'f:spec', 'f:replicas'));
      assert.ok(owns(obj, 'kubectl-client-side-apply', 'f:spec', 'f:replicas'));
    });

    it('force takes the field and its ownership', () => {
      const obj = ok(csa(), config({ replicas: 5 }), 'kubectl', true);
      assert.equal(get(obj, 'spec', 'replicas'), 5);
      assert.ok(owns(obj, 'kubectl', 'f:spec', 'f:replicas'));
      assert.equal(owns(obj, 'kubectl-client-side-apply', 'f:spec', 'f:replicas'), false);
      assert.ok(owns(obj, 'kubectl-client-side-apply', 'f:spec', 'f:selector'), 'other fields stay with their owner');
    });

    it('an applier never conflicts with itself', () => {
      const first = ok(undefined, config({ replicas: 2 }));
      assert.deepEqual(apply(first, config({ replicas: 4 })).conflicts, []);
    });

    it('reads managedFields written by Kubernetes (kubectl client-side apply) and keeps them intact', () => {
      const csaEntry = {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2025-06-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {} } } },
            },
          },
        },
      };
      const live = config({ replicas: 2 });
      live.metadata = { name: 'web', namespace: 'default', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, managedFields: [csaEntry] };
      (get(live, 'spec', 'template', 'spec', 'containers', 0) as Obj).imagePullPolicy = 'IfNotPresent';

      const r = apply(live, config({ replicas: 2, image: 'nginx:1.27' }));
      assert.deepEqual(r.conflicts, [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', field: '.spec.template.spec.containers[name="app"].image' }]);

      const forced = ok(live, config({ replicas: 2, image: 'nginx:1.27' }), 'kubectl', true);
      const kept = entry(forced, 'kubectl-client-side-apply');
      const wantFields = structuredClone(csaEntry.fieldsV1);
      delete (wantFields['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}'] as Obj)['f:image'];
      assert.deepEqual(kept, { ...csaEntry, fieldsV1: wantFields }, 'only the forced field changes hands');
      assert.equal(get(forced, 'spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy'), 'IfNotPresent');
    });

    it('an object never managed before is owned by before-first-apply', () => {
      const live = { ...config({ replicas: 2 }), metadata: { name: 'web', namespace: 'default' } };
      const r = apply(live, config({ replicas: 3 }));
      assert.deepEqual(r.conflicts, [{ manager: 'before-first-apply', operation: 'Update', apiVersion: 'apps/v1', field: '.spec.replicas' }]);
    });
  });
});
