/** Kubernetes' SetDefaults_StatefulSet (apps/v1). */
import type { PersistentVolumeClaim } from '../kinds/core.js';
import type { StatefulSet } from '../kinds/statefulset.js';
import type { KubeObject } from '../meta.js';
import { defaultPVC } from './kinds.js';
import { defaultPodSpec } from './pod.js';

export function defaultStatefulSet(obj: KubeObject): void {
  const sts = obj as StatefulSet;
  const spec = sts.spec;
  if (!spec) return;
  spec.podManagementPolicy ??= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.partition ??= 0;
  }
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ??= 'Retain';
  retention.whenScaled ??= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
  for (const pvc of spec.volumeClaimTemplates ?? []) {
    pvc.apiVersion ||= 'v1';
    pvc.kind ||= 'PersistentVolumeClaim';
    defaultPVC(pvc as PersistentVolumeClaim);
  }
}
