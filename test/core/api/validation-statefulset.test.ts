import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultStatefulSet, validateStatefulSet } from '../../../core/api/index.js';
import type { FieldError, StatefulSet } from '../../../core/api/index.js';

/** The documentation's `web` StatefulSet (content/en/examples/application/web/web.yaml), before defaults. */
function web(): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' },
    spec: {
      serviceName: 'nginx', replicas: 2, selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: { containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.7', ports: [{ containerPort: 80, name: 'web' }], volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

function defaulted(): StatefulSet {
  const s = web();
  defaultStatefulSet(s);
  return s;
}

function check(errs: FieldError[], want: [string, string][]): void {
  assert.deepEqual(errs.map((e) => [e.field, e.message]), want);
}

test('StatefulSet defaults as Kubernetes sets them', () => {
  const s = defaulted();
  assert.equal(s.spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(s.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(s.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(s.spec.revisionHistoryLimit, 10);
  assert.equal(s.spec.template.spec.restartPolicy, 'Always');
  const claim = s.spec.volumeClaimTemplates?.[0];
  assert.deepEqual([claim?.apiVersion, claim?.kind, claim?.spec?.volumeMode, claim?.status?.phase], ['v1', 'PersistentVolumeClaim', 'Filesystem', 'Pending']);
  const onDelete = web();
  onDelete.spec.updateStrategy = { type: 'OnDelete' };
  defaultStatefulSet(onDelete);
  assert.deepEqual(onDelete.spec.updateStrategy, { type: 'OnDelete' }, 'no rollingUpdate under OnDelete');
});

test('StatefulSet validation with Kubernetes\' fields and messages', () => {
  const cases: { desc: string; change: (s: StatefulSet) => void; want: [string, string][] }[] = [
    { desc: 'the documentation example is valid (its mount refers to the claim template)', change: () => {}, want: [] },
    { desc: 'selector must match the template', change: (s) => { s.spec.selector = { matchLabels: { app: 'other' } }; }, want: [['spec.template.metadata.labels', 'Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`']] },
    { desc: 'empty selector', change: (s) => { s.spec.selector = {}; }, want: [['spec.selector', 'Invalid value: map[string]string{}: empty selector is invalid for statefulset']] },
    { desc: 'negative replicas', change: (s) => { s.spec.replicas = -1; }, want: [['spec.replicas', 'Invalid value: -1: must be greater than or equal to 0']] },
    { desc: 'bad podManagementPolicy', change: (s) => { s.spec.podManagementPolicy = 'Random' as 'Parallel'; }, want: [['spec.podManagementPolicy', 'Invalid value: "Random": must be \'OrderedReady\' or \'Parallel\'']] },
    { desc: 'rollingUpdate under OnDelete', change: (s) => { s.spec.updateStrategy = { type: 'OnDelete', rollingUpdate: { partition: 1 } }; }, want: [['spec.updateStrategy.rollingUpdate', 'Invalid value: {"partition":1}: only allowed for updateStrategy \'RollingUpdate\'']] },
    { desc: 'negative partition', change: (s) => { s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } }; }, want: [['spec.updateStrategy.rollingUpdate.partition', 'Invalid value: -1: must be greater than or equal to 0']] },
    { desc: 'maxUnavailable 0', change: (s) => { s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 0 } }; }, want: [['spec.updateStrategy.rollingUpdate.maxUnavailable', 'Invalid value: 0: must be greater than 0']] },
    { desc: 'maxUnavailable over 100%', change: (s) => { s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '120%' } }; }, want: [['spec.updateStrategy.rollingUpdate.maxUnavailable', 'Invalid value: "120%": must not be greater than 100%']] },
    { desc: 'bad retention policy', change: (s) => { s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Keep' as 'Retain', whenScaled: 'Delete' }; }, want: [['spec.persistentVolumeClaimRetentionPolicy.whenDeleted', 'Unsupported value: "Keep": supported values: "Retain", "Delete"']] },
    { desc: 'restartPolicy must be Always', change: (s) => { s.spec.template.spec.restartPolicy = 'Never'; }, want: [['spec.template.spec.restartPolicy', 'Unsupported value: "Never": supported values: "Always"']] },
    { desc: 'a mount with neither a volume nor a claim template', change: (s) => { s.spec.volumeClaimTemplates = []; }, want: [['spec.template.spec.containers[0].volumeMounts[0].name', 'Not found: "www"']] },
    { desc: 'activeDeadlineSeconds', change: (s) => { s.spec.template.spec.activeDeadlineSeconds = 5; }, want: [['spec.template.spec.activeDeadlineSeconds', 'Forbidden: activeDeadlineSeconds in StatefulSet is not Supported']] },
    { desc: 'negative ordinals.start', change: (s) => { s.spec.ordinals = { start: -1 }; }, want: [['spec.ordinals.start', 'Invalid value: -1: must be greater than or equal to 0']] },
  ];
  for (const c of cases) {
    const s = defaulted();
    c.change(s);
    check(validateStatefulSet(s), c.want);
  }
});

test('StatefulSet updates may change only replicas, template, updateStrategy and the other mutable fields', () => {
  const old = defaulted();
  const ok = defaulted();
  ok.spec.replicas = 5;
  ok.spec.template.spec.containers[0] = { ...ok.spec.template.spec.containers[0], name: 'nginx', image: 'nginx:2' };
  ok.spec.updateStrategy = { type: 'OnDelete' };
  ok.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
  ok.spec.minReadySeconds = 3;
  check(validateStatefulSet(ok, old), []);
  const bad = defaulted();
  bad.spec.serviceName = 'other';
  check(validateStatefulSet(bad, old), [['spec', "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"]]);
});
