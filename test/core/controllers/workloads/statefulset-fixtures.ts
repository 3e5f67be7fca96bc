/** Fixture builders for the StatefulSet tests. */
import type { ControllerRevision, Pod, StatefulSet } from '../../../../core/api/index.js';
import { iso, makePod, t0 } from './fixtures.js';

export interface SetFixture {
  replicas: number;
  policy?: 'OrderedReady' | 'Parallel';
  strategy?: 'RollingUpdate' | 'OnDelete';
  partition?: number;
  maxUnavailable?: number | string;
  start?: number;
  minReadySeconds?: number;
  image?: string;
  whenScaled?: 'Retain' | 'Delete';
  whenDeleted?: 'Retain' | 'Delete';
}

export function makeSet(f: SetFixture): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: 4 },
    spec: {
      replicas: f.replicas, serviceName: 'nginx', selector: { matchLabels: { app: 'web' } },
      podManagementPolicy: f.policy ?? 'OrderedReady',
      updateStrategy: f.strategy === 'OnDelete' ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { partition: f.partition ?? 0, ...(f.maxUnavailable !== undefined ? { maxUnavailable: f.maxUnavailable } : {}) } },
      ...(f.start !== undefined ? { ordinals: { start: f.start } } : {}),
      ...(f.minReadySeconds !== undefined ? { minReadySeconds: f.minReadySeconds } : {}),
      persistentVolumeClaimRetentionPolicy: { whenDeleted: f.whenDeleted ?? 'Retain', whenScaled: f.whenScaled ?? 'Retain' },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: f.image ?? 'nginx:1' }] } },
      volumeClaimTemplates: [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'www', labels: { tier: 'data' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

export interface StatefulPodFixture {
  ordinal: number;
  ready?: boolean;
  readySince?: number;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  deleting?: boolean;
  rev?: string;
}

/** Pod `web-<ordinal>` of revision `rev` (default `web-r1`). */
export function sp(f: StatefulPodFixture): Pod {
  const p = makePod({
    name: `web-${f.ordinal}`, node: 'n1', ready: f.ready ?? true, readySince: f.readySince ?? t0, phase: f.phase ?? 'Running', deleting: f.deleting ?? false,
    labels: { app: 'web', 'controller-revision-hash': f.rev ?? 'web-r1', 'statefulset.kubernetes.io/pod-name': `web-${f.ordinal}`, 'apps.kubernetes.io/pod-index': String(f.ordinal) },
  });
  p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }];
  return p;
}

export function makeRevision(name: string, revision: number, data: unknown, created = t0): ControllerRevision {
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name, namespace: 'default', creationTimestamp: iso(created) }, data, revision };
}
