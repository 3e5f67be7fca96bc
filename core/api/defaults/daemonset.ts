/** Kubernetes' `SetDefaults_DaemonSet` (apps/v1). */
import type { DaemonSet } from '../kinds/daemonset.js';
import type { KubeObject } from '../meta.js';
import { defaultPodSpec } from './pod.js';

/** RollingUpdate with maxUnavailable 1 and maxSurge 0; revisionHistoryLimit 10. */
export function defaultDaemonSet(obj: KubeObject): void {
  const ds = obj as DaemonSet;
  if (!ds.spec) return;
  const strategy = (ds.spec.updateStrategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  ds.spec.revisionHistoryLimit ??= 10;
  if (ds.spec.template?.spec) defaultPodSpec(ds.spec.template.spec);
}
