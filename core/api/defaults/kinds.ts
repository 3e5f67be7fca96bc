/** Per-kind defaulting (Kubernetes `SetDefaults_<Kind>`). Each function fills missing fields in place. */
import type { Deployment, ReplicaSet } from '../kinds/apps.js';
import type { HorizontalPodAutoscaler, HPAScalingRules } from '../kinds/autoscaling.js';
import type {
  Endpoints, Namespace, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service,
} from '../kinds/core.js';
import type { EndpointSlice } from '../kinds/discovery.js';
import type { CustomResourceDefinition, StorageClass } from '../kinds/other.js';
import type { KubeObject } from '../meta.js';
import { defaultPodSpec } from './pod.js';

export function defaultPod(obj: KubeObject): void {
  const pod = obj as Pod;
  if (pod.spec) defaultPodSpec(pod.spec);
}

export function defaultDeployment(obj: KubeObject): void {
  const d = obj as Deployment;
  if (!d.spec) return;
  d.spec.replicas ??= 1;
  const strategy = (d.spec.strategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  d.spec.revisionHistoryLimit ??= 10;
  d.spec.progressDeadlineSeconds ??= 600;
  if (d.spec.template?.spec) defaultPodSpec(d.spec.template.spec);
}

export function defaultReplicaSet(obj: KubeObject): void {
  const rs = obj as ReplicaSet;
  if (!rs.spec) return;
  rs.spec.replicas ??= 1;
  if (rs.spec.template?.spec) defaultPodSpec(rs.spec.template.spec);
}

export function defaultService(obj: KubeObject): void {
  const svc = obj as Service;
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.type === 'ExternalName') return;
  spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = (spec.sessionAffinityConfig ??= {});
    const clientIP = (cfg.clientIP ??= {});
    clientIP.timeoutSeconds ??= 10800;
  }
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
}

const scaleUpDefaults = (): Required<Pick<HPAScalingRules, 'stabilizationWindowSeconds' | 'selectPolicy' | 'policies'>> => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
});
const scaleDownDefaults = (): Required<Pick<HPAScalingRules, 'stabilizationWindowSeconds' | 'selectPolicy' | 'policies'>> => ({
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

function fillRules(r: HPAScalingRules | undefined, d: ReturnType<typeof scaleUpDefaults>): HPAScalingRules {
  const out: HPAScalingRules = { ...(r ?? {}) };
  out.stabilizationWindowSeconds ??= d.stabilizationWindowSeconds;
  out.selectPolicy ??= d.selectPolicy;
  if (!out.policies || out.policies.length === 0) out.policies = d.policies;
  return out;
}

/** autoscaling/v2: minReplicas 1, CPU 80% when no metrics, and behavior's nil fields when behavior is set. */
export function defaultHPA(obj: KubeObject): void {
  const hpa = obj as HorizontalPodAutoscaler;
  if (!hpa.spec) return;
  hpa.spec.minReplicas ??= 1;
  if (!hpa.spec.metrics || hpa.spec.metrics.length === 0) {
    hpa.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (hpa.spec.behavior) {
    hpa.spec.behavior.scaleUp = fillRules(hpa.spec.behavior.scaleUp, scaleUpDefaults());
    hpa.spec.behavior.scaleDown = fillRules(hpa.spec.behavior.scaleDown, scaleDownDefaults());
  }
}

/** type Opaque; `stringData` is merged into base64 `data` (winning over it) and removed. */
export function defaultSecret(obj: KubeObject): void {
  const s = obj as Secret;
  s.type ??= 'Opaque';
  if (s.stringData) {
    const data = (s.data ??= {});
    for (const [k, v] of Object.entries(s.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
    delete s.stringData;
  }
}

export function defaultPVC(obj: KubeObject): void {
  const pvc = obj as PersistentVolumeClaim;
  const spec = (pvc.spec ??= {});
  spec.volumeMode ??= 'Filesystem';
  const status = (pvc.status ??= {});
  status.phase ??= 'Pending';
}

export function defaultPV(obj: KubeObject): void {
  const pv = obj as PersistentVolume;
  const spec = (pv.spec ??= {});
  spec.persistentVolumeReclaimPolicy ??= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  const status = (pv.status ??= {});
  status.phase ??= 'Pending';
}

export function defaultStorageClass(obj: KubeObject): void {
  const sc = obj as StorageClass;
  sc.reclaimPolicy ??= 'Delete';
  sc.volumeBindingMode ??= 'Immediate';
}

export function defaultNamespace(obj: KubeObject): void {
  const ns = obj as Namespace;
  const spec = (ns.spec ??= {});
  spec.finalizers ??= ['kubernetes'];
  const status = (ns.status ??= {});
  status.phase ??= 'Active';
}

export function defaultEndpoints(obj: KubeObject): void {
  for (const ss of (obj as Endpoints).subsets ?? []) for (const p of ss.ports ?? []) p.protocol ??= 'TCP';
}

export function defaultEndpointSlice(obj: KubeObject): void {
  for (const p of (obj as EndpointSlice).ports ?? []) p.protocol ??= 'TCP';
}

export function defaultCRD(obj: KubeObject): void {
  const crd = obj as CustomResourceDefinition;
  const names = crd.spec?.names;
  if (!names || typeof names.kind !== 'string') return;
  names.singular ??= names.kind.toLowerCase();
  names.listKind ??= `${names.kind}List`;
  const spec = crd.spec as CustomResourceDefinition['spec'] & { conversion?: { strategy?: string } };
  spec.conversion ??= { strategy: 'None' };
}
