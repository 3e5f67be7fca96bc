/** Fixture builders for the workload controller tests. */
import type { Deployment, Pod, ReplicaSet } from '../../../../core/api/index.js';

export const t0 = Date.UTC(2026, 0, 1);
export const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

export interface PodFixture {
  name: string;
  node?: string;
  phase?: 'Pending' | 'Running' | 'Unknown' | 'Succeeded' | 'Failed';
  ready?: boolean;
  readySince?: number;
  restarts?: number;
  created?: number;
  ip?: string;
  labels?: Record<string, string>;
  ports?: { name?: string; containerPort: number; protocol?: 'TCP' | 'UDP' }[];
  deleting?: boolean;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  uid?: string;
}

export function makePod(f: PodFixture): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: f.name,
      namespace: 'default',
      uid: f.uid ?? `uid-${f.name}`,
      labels: f.labels ?? { app: 'web' },
      creationTimestamp: iso(f.created ?? t0),
      ...(f.deleting ? { deletionTimestamp: iso(t0) } : {}),
    },
    spec: {
      containers: [{ name: 'c', ...(f.ports ? { ports: f.ports } : {}) }],
      ...(f.node ? { nodeName: f.node } : {}),
      ...(f.restartPolicy ? { restartPolicy: f.restartPolicy } : {}),
    },
    status: {
      phase: f.phase ?? 'Running',
      ...(f.ip ? { podIP: f.ip } : {}),
      conditions: [{ type: 'Ready', status: f.ready ? 'True' : 'False', lastTransitionTime: iso(f.readySince ?? t0) }],
      containerStatuses: [{ name: 'c', ready: f.ready ?? false, restartCount: f.restarts ?? 0, image: 'x', imageID: '' }],
    },
  };
}

export interface RSFixture {
  name: string;
  replicas: number;
  available?: number;
  statusReplicas?: number;
  created?: number;
  revision?: number;
  desired?: number;
  max?: number;
}

export function makeRS(f: RSFixture): ReplicaSet {
  const ann: Record<string, string> = {};
  if (f.revision !== undefined) ann['deployment.kubernetes.io/revision'] = String(f.revision);
  if (f.desired !== undefined) ann['deployment.kubernetes.io/desired-replicas'] = String(f.desired);
  if (f.max !== undefined) ann['deployment.kubernetes.io/max-replicas'] = String(f.max);
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: f.name, namespace: 'default', uid: `uid-${f.name}`, creationTimestamp: iso(f.created ?? t0), annotations: ann, generation: 1 },
    spec: { replicas: f.replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: f.name }] } } },
    status: { replicas: f.statusReplicas ?? f.replicas, availableReplicas: f.available ?? f.replicas, observedGeneration: 1 },
  };
}

export interface DeployFixture {
  replicas: number;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  strategy?: 'RollingUpdate' | 'Recreate';
  image?: string;
}

export function makeDeployment(f: DeployFixture): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: 1 },
    spec: {
      replicas: f.replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: f.image ?? 'v2' }] } },
      strategy: f.strategy === 'Recreate'
        ? { type: 'Recreate' }
        : { type: 'RollingUpdate', rollingUpdate: { maxSurge: f.maxSurge ?? '25%', maxUnavailable: f.maxUnavailable ?? '25%' } },
    },
  };
}
