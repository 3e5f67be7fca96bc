/**
 * Field numbers of the Kubernetes protobuf messages that `kubectl create <kind>` sends
 * (generated.proto of k8s.io/api and apimachinery), for the kinds skiff serves. A field
 * type is a scalar, a message name, `map` (string→string), `bmap` (string→bytes),
 * `qmap` (string→Quantity) or a `[]` repeated form.
 */
export type FieldType = 'string' | 'int' | 'bool' | 'bytes' | 'intstr' | 'quantity' | 'time' | 'map' | 'bmap' | 'qmap' | string;
export type MessageSchema = Record<number, [name: string, type: FieldType]>;

const meta: MessageSchema = {
  1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'], 5: ['uid', 'string'], 6: ['resourceVersion', 'string'],
  7: ['generation', 'int'], 8: ['creationTimestamp', 'time'], 11: ['labels', 'map'], 12: ['annotations', 'map'],
  13: ['ownerReferences', 'OwnerReference[]'], 14: ['finalizers', 'string[]'],
};

export const messages: Record<string, MessageSchema> = {
  ObjectMeta: meta,
  OwnerReference: { 1: ['kind', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'], 6: ['controller', 'bool'], 7: ['blockOwnerDeletion', 'bool'] },
  LabelSelector: { 1: ['matchLabels', 'map'], 2: ['matchExpressions', 'LabelSelectorRequirement[]'] },
  LabelSelectorRequirement: { 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', 'string[]'] },
  Namespace: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'NamespaceSpec'] },
  NamespaceSpec: { 1: ['finalizers', 'string[]'] },
  ConfigMap: { 1: ['metadata', 'ObjectMeta'], 2: ['data', 'map'], 3: ['binaryData', 'bmap'], 4: ['immutable', 'bool'] },
  Secret: { 1: ['metadata', 'ObjectMeta'], 2: ['data', 'bmap'], 3: ['type', 'string'], 4: ['stringData', 'map'], 5: ['immutable', 'bool'] },
  Deployment: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'DeploymentSpec'] },
  DeploymentSpec: {
    1: ['replicas', 'int'], 2: ['selector', 'LabelSelector'], 3: ['template', 'PodTemplateSpec'], 4: ['strategy', 'DeploymentStrategy'],
    5: ['minReadySeconds', 'int'], 6: ['revisionHistoryLimit', 'int'], 7: ['paused', 'bool'], 9: ['progressDeadlineSeconds', 'int'],
  },
  DeploymentStrategy: { 1: ['type', 'string'], 2: ['rollingUpdate', 'RollingUpdateDeployment'] },
  RollingUpdateDeployment: { 1: ['maxUnavailable', 'intstr'], 2: ['maxSurge', 'intstr'] },
  PodTemplateSpec: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'] },
  Pod: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'PodSpec'] },
  PodSpec: {
    2: ['containers', 'Container[]'], 3: ['restartPolicy', 'string'], 4: ['terminationGracePeriodSeconds', 'int'], 5: ['activeDeadlineSeconds', 'int'],
    6: ['dnsPolicy', 'string'], 7: ['nodeSelector', 'map'], 8: ['serviceAccountName', 'string'], 10: ['nodeName', 'string'],
    11: ['hostNetwork', 'bool'], 16: ['hostname', 'string'], 17: ['subdomain', 'string'], 19: ['schedulerName', 'string'],
    20: ['initContainers', 'Container[]'], 24: ['priorityClassName', 'string'],
  },
  Container: {
    1: ['name', 'string'], 2: ['image', 'string'], 3: ['command', 'string[]'], 4: ['args', 'string[]'], 5: ['workingDir', 'string'],
    6: ['ports', 'ContainerPort[]'], 7: ['env', 'EnvVar[]'], 8: ['resources', 'ResourceRequirements'], 13: ['terminationMessagePath', 'string'],
    14: ['imagePullPolicy', 'string'], 16: ['stdin', 'bool'], 17: ['stdinOnce', 'bool'], 18: ['tty', 'bool'], 20: ['terminationMessagePolicy', 'string'],
  },
  ContainerPort: { 1: ['name', 'string'], 2: ['hostPort', 'int'], 3: ['containerPort', 'int'], 4: ['protocol', 'string'], 5: ['hostIP', 'string'] },
  EnvVar: { 1: ['name', 'string'], 2: ['value', 'string'] },
  ResourceRequirements: { 1: ['limits', 'qmap'], 2: ['requests', 'qmap'] },
  Service: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'ServiceSpec'] },
  ServiceSpec: {
    1: ['ports', 'ServicePort[]'], 2: ['selector', 'map'], 3: ['clusterIP', 'string'], 4: ['type', 'string'], 5: ['externalIPs', 'string[]'],
    7: ['sessionAffinity', 'string'], 8: ['loadBalancerIP', 'string'], 10: ['externalName', 'string'], 11: ['externalTrafficPolicy', 'string'],
  },
  ServicePort: { 1: ['name', 'string'], 2: ['protocol', 'string'], 3: ['port', 'int'], 4: ['targetPort', 'intstr'], 5: ['nodePort', 'int'], 6: ['appProtocol', 'string'] },
  'HorizontalPodAutoscaler/v1': { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'HPASpecV1'] },
  HPASpecV1: { 1: ['scaleTargetRef', 'CrossVersionObjectReference'], 2: ['minReplicas', 'int'], 3: ['maxReplicas', 'int'], 4: ['targetCPUUtilizationPercentage', 'int'] },
  'HorizontalPodAutoscaler/v2': { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'HPASpecV2'] },
  HPASpecV2: { 1: ['scaleTargetRef', 'CrossVersionObjectReference'], 2: ['minReplicas', 'int'], 3: ['maxReplicas', 'int'], 4: ['metrics', 'MetricSpec[]'] },
  CrossVersionObjectReference: { 1: ['kind', 'string'], 2: ['name', 'string'], 3: ['apiVersion', 'string'] },
  MetricSpec: { 1: ['type', 'string'], 4: ['resource', 'ResourceMetricSource'] },
  ResourceMetricSource: { 1: ['name', 'string'], 2: ['target', 'MetricTarget'] },
  MetricTarget: { 1: ['type', 'string'], 2: ['value', 'quantity'], 3: ['averageValue', 'quantity'], 4: ['averageUtilization', 'int'] },
  ServiceAccount: { 1: ['metadata', 'ObjectMeta'] },
  Job: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'JobSpec'] },
  JobSpec: {
    1: ['parallelism', 'int'], 2: ['completions', 'int'], 3: ['activeDeadlineSeconds', 'int'], 4: ['selector', 'LabelSelector'], 5: ['manualSelector', 'bool'],
    6: ['template', 'PodTemplateSpec'], 7: ['backoffLimit', 'int'], 8: ['ttlSecondsAfterFinished', 'int'], 9: ['completionMode', 'string'], 10: ['suspend', 'bool'],
    12: ['backoffLimitPerIndex', 'int'], 13: ['maxFailedIndexes', 'int'], 14: ['podReplacementPolicy', 'string'], 15: ['managedBy', 'string'],
  },
  CronJob: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'CronJobSpec'] },
  CronJobSpec: {
    1: ['schedule', 'string'], 2: ['startingDeadlineSeconds', 'int'], 3: ['concurrencyPolicy', 'string'], 4: ['suspend', 'bool'], 5: ['jobTemplate', 'JobTemplateSpec'],
    6: ['successfulJobsHistoryLimit', 'int'], 7: ['failedJobsHistoryLimit', 'int'], 8: ['timeZone', 'string'],
  },
  JobTemplateSpec: { 1: ['metadata', 'ObjectMeta'], 2: ['spec', 'JobSpec'] },
  IntOrString: { 1: ['type', 'int'], 2: ['intVal', 'int'], 3: ['strVal', 'string'] },
  Quantity: { 1: ['string', 'string'] },
  Time: { 1: ['seconds', 'int'], 2: ['nanos', 'int'] },
};

/** The root message for a kind in a body's TypeMeta (HPA differs by version). */
export function rootMessage(kind: string, apiVersion: string): string | undefined {
  if (kind === 'HorizontalPodAutoscaler') return apiVersion.endsWith('/v1') ? 'HorizontalPodAutoscaler/v1' : 'HorizontalPodAutoscaler/v2';
  return ['Namespace', 'ConfigMap', 'Secret', 'Deployment', 'Pod', 'Service', 'ServiceAccount', 'Job', 'CronJob'].includes(kind) ? kind : undefined;
}
