/** Schemas for Pod, PodSpec, Container and PodTemplateSpec (core/v1), with Kubernetes' patch strategies. */
import type { JSONSchemaProps } from '../kinds/other.js';
import {
  atomicList, bool, choice, int, int64, intOrString, mergeList, obj, preserve, quantity, quantityMap, str, stringList, stringMap, time,
} from './dsl.js';
import { conditions, localObjectReference, nodeSelectorTerm, objectMeta } from './meta.js';

const keySelector = obj({ name: str(), key: str(), optional: bool() }, ['key'], { 'x-kubernetes-map-type': 'atomic' });
const objectFieldSelector = obj({ apiVersion: str(), fieldPath: str() }, ['fieldPath'], { 'x-kubernetes-map-type': 'atomic' });
const resourceFieldSelector = obj({ containerName: str(), resource: str(), divisor: quantity() }, ['resource'], { 'x-kubernetes-map-type': 'atomic' });

const envVar = obj({
  name: str(),
  value: str(),
  valueFrom: obj({ fieldRef: objectFieldSelector, resourceFieldRef: resourceFieldSelector, configMapKeyRef: keySelector, secretKeyRef: keySelector }),
}, ['name']);

const envFromSource = obj({
  prefix: str(),
  configMapRef: obj({ name: str(), optional: bool() }, [], { 'x-kubernetes-map-type': 'atomic' }),
  secretRef: obj({ name: str(), optional: bool() }, [], { 'x-kubernetes-map-type': 'atomic' }),
});

const containerPort = obj({
  name: str(), hostPort: int(), containerPort: int(), protocol: choice(['TCP', 'UDP', 'SCTP']), hostIP: str(),
}, ['containerPort']);

const resourceRequirements = obj({
  limits: quantityMap(),
  requests: quantityMap(),
  claims: mergeList(obj({ name: str(), request: str() }, ['name']), 'name'),
});

const volumeMount = obj({
  name: str(), readOnly: bool(), recursiveReadOnly: str(), mountPath: str(), subPath: str(), mountPropagation: str(), subPathExpr: str(),
}, ['name', 'mountPath']);

const httpHeader = obj({ name: str(), value: str() }, ['name', 'value']);
const probeHandlers: Record<string, JSONSchemaProps> = {
  exec: obj({ command: stringList() }),
  httpGet: obj({ path: str(), port: intOrString(), host: str(), scheme: choice(['HTTP', 'HTTPS']), httpHeaders: atomicList(httpHeader) }, ['port']),
  tcpSocket: obj({ port: intOrString(), host: str() }, ['port']),
  grpc: obj({ port: int(), service: str() }, ['port']),
};
const probe = obj({
  ...probeHandlers,
  initialDelaySeconds: int(), timeoutSeconds: int(), periodSeconds: int(), successThreshold: int(), failureThreshold: int(),
  terminationGracePeriodSeconds: int64(),
});

/** A container; `ephemeral` adds `targetContainerName` (ephemeral containers). */
export function containerSchema(ephemeral = false): JSONSchemaProps {
  const props: Record<string, JSONSchemaProps> = {
    name: str(),
    image: str(),
    command: stringList(),
    args: stringList(),
    workingDir: str(),
    ports: mergeList(containerPort, 'containerPort', { 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] }),
    envFrom: atomicList(envFromSource),
    env: mergeList(envVar, 'name'),
    resources: resourceRequirements,
    resizePolicy: atomicList(obj({ resourceName: str(), restartPolicy: str() }, ['resourceName', 'restartPolicy'])),
    restartPolicy: str(),
    volumeMounts: mergeList(volumeMount, 'mountPath'),
    volumeDevices: mergeList(obj({ name: str(), devicePath: str() }, ['name', 'devicePath']), 'devicePath'),
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
    lifecycle: preserve('postStart/preStop handlers'),
    terminationMessagePath: str(),
    terminationMessagePolicy: choice(['File', 'FallbackToLogsOnError']),
    imagePullPolicy: choice(['Always', 'Never', 'IfNotPresent']),
    securityContext: preserve('container security context'),
    stdin: bool(),
    stdinOnce: bool(),
    tty: bool(),
  };
  if (ephemeral) props.targetContainerName = str();
  return obj(props, ['name']);
}

const keyToPath = atomicList(obj({ key: str(), path: str(), mode: int() }, ['key', 'path']));

const modeledVolumeSources: Record<string, JSONSchemaProps> = {
  emptyDir: obj({ medium: str(), sizeLimit: quantity() }),
  configMap: obj({ name: str(), items: keyToPath, defaultMode: int(), optional: bool() }),
  secret: obj({ secretName: str(), items: keyToPath, defaultMode: int(), optional: bool() }),
  persistentVolumeClaim: obj({ claimName: str(), readOnly: bool() }, ['claimName']),
  hostPath: obj({ path: str(), type: str() }, ['path']),
  downwardAPI: preserve(), projected: preserve(), csi: preserve(), ephemeral: preserve(), image: preserve(), nfs: preserve(),
};
const otherVolumeSources = ['gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs',
  'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];

export const volume = obj({
  name: str(),
  ...modeledVolumeSources,
  ...Object.fromEntries(otherVolumeSources.map((k) => [k, preserve()])),
}, ['name']);

const toleration = obj({
  key: str(), operator: choice(['Exists', 'Equal']), value: str(), effect: choice(['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute']), tolerationSeconds: int64(),
});

const preferredSchedulingTerm = obj({ weight: int(), preference: nodeSelectorTerm }, ['weight', 'preference']);
const affinity = obj({
  nodeAffinity: obj({
    requiredDuringSchedulingIgnoredDuringExecution: obj({ nodeSelectorTerms: atomicList(nodeSelectorTerm) }, ['nodeSelectorTerms']),
    preferredDuringSchedulingIgnoredDuringExecution: atomicList(preferredSchedulingTerm),
  }),
  podAffinity: preserve('pod affinity terms'),
  podAntiAffinity: preserve('pod anti-affinity terms'),
});

export const podSpec: JSONSchemaProps = obj({
  volumes: mergeList(volume, 'name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }),
  initContainers: mergeList(containerSchema(), 'name'),
  containers: mergeList(containerSchema(), 'name'),
  ephemeralContainers: mergeList(containerSchema(true), 'name'),
  restartPolicy: choice(['Always', 'OnFailure', 'Never']),
  terminationGracePeriodSeconds: int64(),
  activeDeadlineSeconds: int64(),
  dnsPolicy: choice(['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']),
  nodeSelector: stringMap({ 'x-kubernetes-map-type': 'atomic' }),
  serviceAccountName: str(),
  serviceAccount: str(),
  automountServiceAccountToken: bool(),
  nodeName: str(),
  hostNetwork: bool(),
  hostPID: bool(),
  hostIPC: bool(),
  shareProcessNamespace: bool(),
  securityContext: preserve('pod security context'),
  imagePullSecrets: mergeList(localObjectReference, 'name'),
  hostname: str(),
  subdomain: str(),
  affinity,
  schedulerName: str(),
  tolerations: atomicList(toleration),
  hostAliases: mergeList(obj({ ip: str(), hostnames: stringList() }, ['ip']), 'ip'),
  priorityClassName: str(),
  priority: int(),
  dnsConfig: obj({ nameservers: stringList(), searches: stringList(), options: atomicList(obj({ name: str(), value: str() })) }),
  readinessGates: atomicList(obj({ conditionType: str() }, ['conditionType'])),
  runtimeClassName: str(),
  enableServiceLinks: bool(),
  preemptionPolicy: str(),
  overhead: quantityMap(),
  topologySpreadConstraints: mergeList(preserve('topology spread constraint'), 'topologyKey', { 'x-kubernetes-list-map-keys': ['topologyKey', 'whenUnsatisfiable'] }),
  setHostnameAsFQDN: bool(),
  os: obj({ name: str() }, ['name']),
  hostUsers: bool(),
  schedulingGates: mergeList(obj({ name: str() }, ['name']), 'name'),
  resourceClaims: mergeList(preserve('pod resource claim'), 'name'),
  resources: resourceRequirements,
}, ['containers']);

const containerState = obj({
  waiting: obj({ reason: str(), message: str() }),
  running: obj({ startedAt: time() }),
  terminated: obj({
    exitCode: int(), signal: int(), reason: str(), message: str(), startedAt: time(), finishedAt: time(), containerID: str(),
  }, ['exitCode']),
});

const containerStatus = obj({
  name: str(), state: containerState, lastState: containerState, ready: bool(), restartCount: int(), image: str(), imageID: str(),
  containerID: str(), started: bool(), allocatedResources: quantityMap(), resources: resourceRequirements,
  volumeMounts: atomicList(preserve()), user: preserve(), allocatedResourcesStatus: atomicList(preserve()), stopSignal: str(),
}, ['name', 'ready', 'restartCount', 'image', 'imageID']);

const podIP = obj({ ip: str() }, ['ip']);

export const podStatus = obj({
  observedGeneration: int64(),
  phase: str(),
  conditions: conditions(),
  message: str(),
  reason: str(),
  nominatedNodeName: str(),
  hostIP: str(),
  hostIPs: mergeList(podIP, 'ip'),
  podIP: str(),
  podIPs: mergeList(podIP, 'ip'),
  startTime: time(),
  initContainerStatuses: atomicList(containerStatus),
  containerStatuses: atomicList(containerStatus),
  qosClass: str(),
  ephemeralContainerStatuses: atomicList(containerStatus),
  resize: str(),
  resourceClaimStatuses: mergeList(preserve(), 'name'),
});

export const podTemplateSpec = obj({ metadata: objectMeta, spec: podSpec });

