import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch, PatchError, type PatchErrorCode } from '../../../../core/apiserver/patch/index.js';
import { deploymentSchema, podSpecSchema } from './schemas.js';

/** A Deployment as the server stores it: defaults filled in, two containers. */
function liveDeployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}' }, finalizers: ['a.io/x'] },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          restartPolicy: 'Always',
          containers: [
            {
              name: 'a',
              image: 'nginx:1.25',
              imagePullPolicy: 'IfNotPresent',
              terminationMessagePath: '/dev/termination-log',
              env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
            },
            { name: 'b', image: 'busybox', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', command: ['sleep', '3600'] },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
  };
}

/** liveDeployment() with `edit` applied to a fresh copy. */
function expected(edit: (d: Deployment) => void): Record<string, unknown> {
  const d = liveDeployment() as unknown as Deployment;
  edit(d);
  return d as unknown as Record<string, unknown>;
}

interface Container {
  name: string;
  image?: string;
  env?: { name: string; value?: string }[];
  ports?: Record<string, unknown>[];
  command?: string[];
  [k: string]: unknown;
}
interface Deployment {
  metadata: { labels: Record<string, string>; annotations: Record<string, string>; finalizers?: string[] };
  spec: {
    replicas?: number;
    strategy: Record<string, unknown>;
    template: { spec: { containers: Container[]; volumes: Record<string, unknown>[]; [k: string]: unknown } };
  };
}

const c = (d: Deployment, i: number): Container => {
  const found = d.spec.template.spec.containers[i];
  assert.ok(found);
  return found;
};

const tmpl = (spec: Record<string, unknown>): Record<string, unknown> => ({ spec: { template: { spec } } });

const cases: { desc: string; patch: unknown; want: Record<string, unknown> }[] = [
  {
    desc: 'kubectl apply of a changed image: only container a changes, server defaults kept',
    patch: {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}' } },
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ image: 'nginx:1.27', name: 'a' }] } } },
    },
    want: expected((d) => {
      c(d, 0).image = 'nginx:1.27';
      d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = '{"new":true}';
    }),
  },
  {
    desc: 'merge containers by name: other containers and fields kept',
    patch: tmpl({ containers: [{ name: 'b', image: 'busybox:2' }] }),
    want: expected((d) => {
      c(d, 1).image = 'busybox:2';
    }),
  },
  {
    // As in apimachinery: without $setElementOrder, patch elements new to the list go first.
    desc: 'new container without $setElementOrder goes first',
    patch: tmpl({ containers: [{ name: 'c', image: 'redis' }] }),
    want: expected((d) => {
      d.spec.template.spec.containers.unshift({ name: 'c', image: 'redis' });
    }),
  },
  {
    desc: 'env merged by name: one changed, one added',
    patch: tmpl({ containers: [{ name: 'a', env: [{ name: 'Y', value: '20' }, { name: 'Z', value: '3' }] }] }),
    want: expected((d) => {
      c(d, 0).env = [{ name: 'X', value: '1' }, { name: 'Y', value: '20' }, { name: 'Z', value: '3' }];
    }),
  },
  {
    desc: 'ports merged by containerPort',
    patch: tmpl({ containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] }),
    want: expected((d) => {
      c(d, 0).ports = [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 443 }];
    }),
  },
  {
    desc: '$patch: delete removes a list element',
    patch: tmpl({ containers: [{ name: 'b', $patch: 'delete' }] }),
    want: expected((d) => {
      d.spec.template.spec.containers.splice(1, 1);
    }),
  },
  {
    desc: 'kubectl apply removing a container ($setElementOrder + $patch: delete)',
    patch: tmpl({ '$setElementOrder/containers': [{ name: 'a' }], containers: [{ $patch: 'delete', name: 'b' }] }),
    want: expected((d) => {
      d.spec.template.spec.containers.splice(1, 1);
    }),
  },
  {
    desc: '$patch: delete of an env entry inside a merged container',
    patch: tmpl({ containers: [{ name: 'a', env: [{ name: 'X', $patch: 'delete' }] }] }),
    want: expected((d) => {
      c(d, 0).env = [{ name: 'Y', value: '2' }];
    }),
  },
  {
    desc: '$patch: replace as a list element replaces the whole list',
    patch: tmpl({ containers: [{ name: 'z', image: 'alpine' }, { $patch: 'replace' }] }),
    want: expected((d) => {
      d.spec.template.spec.containers = [{ name: 'z', image: 'alpine' }];
    }),
  },
  {
    desc: '$patch: replace on a map replaces the map',
    patch: { spec: { selector: { $patch: 'replace', matchLabels: { tier: 'x' } } } },
    want: expected((d) => {
      (d.spec as Record<string, unknown>).selector = { matchLabels: { tier: 'x' } };
    }),
  },
  {
    desc: '$patch: delete on a map empties it',
    patch: { metadata: { labels: { $patch: 'delete' } } },
    want: expected((d) => {
      d.metadata.labels = {};
    }),
  },
  {
    desc: '$setElementOrder alone reorders a merged list',
    patch: tmpl({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] }),
    want: expected((d) => {
      d.spec.template.spec.containers.reverse();
    }),
  },
  {
    desc: '$setElementOrder places a new element where the order says',
    patch: tmpl({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'n' }, { name: 'b' }], containers: [{ name: 'n', image: 'new' }] }),
    want: expected((d) => {
      d.spec.template.spec.containers.splice(1, 0, { name: 'n', image: 'new' });
    }),
  },
  {
    desc: 'elements not named by $setElementOrder come after the named ones, in their relative order',
    patch: tmpl({ '$setElementOrder/containers': [{ name: 'n' }], containers: [{ name: 'n', image: 'new' }] }),
    want: expected((d) => {
      d.spec.template.spec.containers.unshift({ name: 'n', image: 'new' });
    }),
  },
  {
    desc: 'finalizers (merge, primitive) are unioned without duplicates',
    patch: { metadata: { finalizers: ['a.io/x', 'b.io/y'] } },
    want: expected((d) => {
      d.metadata.finalizers = ['a.io/x', 'b.io/y'];
    }),
  },
  {
    desc: '$deleteFromPrimitiveList removes from a primitive list',
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.io/x'] } },
    want: expected((d) => {
      d.metadata.finalizers = [];
    }),
  },
  {
    desc: '$setElementOrder on a primitive list with an addition and a deletion',
    patch: { metadata: { '$setElementOrder/finalizers': ['c.io/z', 'a.io/x'], finalizers: ['c.io/z'] } },
    want: expected((d) => {
      d.metadata.finalizers = ['c.io/z', 'a.io/x'];
    }),
  },
  {
    desc: 'null deletes a field, also inside a merged element',
    patch: { spec: { replicas: null, template: { spec: { containers: [{ name: 'b', command: null }] } } } },
    want: expected((d) => {
      delete d.spec.replicas;
      delete c(d, 1).command;
    }),
  },
  {
    desc: 'null for an absent field is ignored',
    patch: { spec: { paused: null, template: { spec: { nodeSelector: { disk: null, zone: 'a' } } } } },
    want: expected((d) => {
      d.spec.template.spec.nodeSelector = { zone: 'a' };
    }),
  },
  {
    desc: 'a list without a merge strategy is replaced',
    patch: tmpl({ containers: [{ name: 'b', command: ['sh'] }] }),
    want: expected((d) => {
      c(d, 1).command = ['sh'];
    }),
  },
  {
    desc: '$retainKeys: changing a volume source drops the old one',
    patch: tmpl({ volumes: [{ name: 'data', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] }),
    want: expected((d) => {
      d.spec.template.spec.volumes = [{ name: 'data', configMap: { name: 'cm' } }];
    }),
  },
  {
    desc: '$retainKeys: switching the deployment strategy to Recreate drops rollingUpdate',
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: expected((d) => {
      d.spec.strategy = { type: 'Recreate' };
    }),
  },
  {
    desc: 'a field absent from the original takes the patch value without its directives and nulls',
    patch: tmpl({ initContainers: [{ name: 'i', image: 'x', env: [{ name: 'gone', $patch: 'delete' }], args: null }] }),
    want: expected((d) => {
      d.spec.template.spec.initContainers = [{ name: 'i', image: 'x', env: [] }];
    }),
  },
];

describe('applyStrategicMergePatch', () => {
  for (const tc of cases) {
    it(tc.desc, () => {
      const original = liveDeployment();
      const patch = structuredClone(tc.patch);
      assert.deepEqual(applyStrategicMergePatch(original, tc.patch, deploymentSchema), tc.want);
      assert.deepEqual(original, liveDeployment(), 'original must not be mutated');
      assert.deepEqual(tc.patch, patch, 'patch must not be mutated');
    });
  }
});

describe('applyStrategicMergePatch without schema information', () => {
  const unknown: { desc: string; original: unknown; patch: unknown; want: unknown }[] = [
    {
      desc: 'unknown subtree: maps merge, lists replace',
      original: { affinity: { nodeAffinity: { terms: [{ key: 'a' }, { key: 'b' }], keep: true } } },
      patch: { affinity: { nodeAffinity: { terms: [{ key: 'c' }] } } },
      want: { affinity: { nodeAffinity: { terms: [{ key: 'c' }], keep: true } } },
    },
    {
      desc: 'unknown subtree: null deletes',
      original: { affinity: { podAffinity: { x: 1 }, other: 2 } },
      patch: { affinity: { podAffinity: null } },
      want: { affinity: { other: 2 } },
    },
    {
      desc: 'a list of maps without patch strategy (tolerations) is replaced',
      original: { tolerations: [{ key: 'a' }, { key: 'b' }] },
      patch: { tolerations: [{ key: 'b', effect: 'NoSchedule' }] },
      want: { tolerations: [{ key: 'b', effect: 'NoSchedule' }] },
    },
    {
      desc: 'a field missing from the schema replaces lists',
      original: { extra: [1, 2] },
      patch: { extra: [3] },
      want: { extra: [3] },
    },
  ];
  for (const tc of unknown) {
    it(tc.desc, () => assert.deepEqual(applyStrategicMergePatch(tc.original, tc.patch, podSpecSchema), tc.want));
  }
  it('keys named like Object.prototype members are ordinary keys', () => {
    const patch = JSON.parse('{"constructor": {"a": 1}, "__proto__": {"polluted": true}, "toString": null}') as unknown;
    const out = applyStrategicMergePatch({ keep: 1 }, patch, podSpecSchema) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out).sort(), ['__proto__', 'constructor', 'keep']);
    assert.deepEqual(out.constructor, { a: 1 });
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
  it('works with no schema at all, like a merge patch', () => {
    assert.deepEqual(applyStrategicMergePatch({ a: { b: [1], c: 1 } }, { a: { b: [2], c: null } }, undefined), { a: { b: [2] } });
  });
});

describe('applyStrategicMergePatch errors', () => {
  const errs: { desc: string; patch: unknown; code: PatchErrorCode; message: RegExp }[] = [
    { desc: 'patch is not an object', patch: [1], code: 'InvalidPatch', message: /must be a JSON object/ },
    { desc: 'merge-list element without its merge key', patch: tmpl({ containers: [{ image: 'x' }] }), code: 'MissingMergeKey', message: /does not contain declared merge key: name/ },
    { desc: 'unknown $patch in a list', patch: tmpl({ containers: [{ name: 'a', $patch: 'explode' }] }), code: 'InvalidDirective', message: /unknown patch type "explode"/ },
    { desc: 'unknown $patch on a map', patch: { spec: { $patch: 'merge' } }, code: 'InvalidDirective', message: /unknown patch type "merge"/ },
    { desc: 'field outside $retainKeys', patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, code: 'InvalidDirective', message: /not in \$retainKeys/ },
  ];
  for (const tc of errs) {
    it(tc.desc, () => {
      assert.throws(
        () => applyStrategicMergePatch(liveDeployment(), tc.patch, deploymentSchema),
        (e: unknown) => e instanceof PatchError && e.patchCode === tc.code && tc.message.test(e.message) && e.code >= 400,
      );
    });
  }
});
