/** Per-kind Table columns for built-in kinds, as `kubectl get` shows them. */
import type { KindInfo, KubeObject } from '../api/index.js';
import {
  accessModes, arr, containersOf, endpointsList, eventLastSeen, eventObject, hpaTargets, ingressHosts, lbAddresses,
  nodeAddress, nodeRoles, nodeStatus, num, podReady, podRestarts, podStatus, rec, selectorString, serviceExternalIp, servicePorts, str,
} from './table-cells.js';
import { cronJobActive, cronJobLastSchedule, cronJobSelector, cronJobSuspend, jobCompletions, jobDuration, jobStatus } from './table-batch.js';

export interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  /** 0 = default output, 1 = `-o wide` only. */
  priority?: number;
  cell: (o: KubeObject, now: number) => unknown;
}

type Cell = Column['cell'];
const col = (name: string, cell: Cell, priority = 0, type = 'string'): Column => ({ name, type, description: name, cell, ...(priority ? { priority } : {}) });
const spec = (o: KubeObject): Record<string, unknown> => rec(o.spec);
const status = (o: KubeObject): Record<string, unknown> => rec(o.status);
const tmpl = (o: KubeObject): Record<string, unknown> => rec(spec(o).template);
/** kubectl's `<kind>.<group>/<name>` of the controller owner, or `<none>`. */
const controllerName = (o: KubeObject): string => {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
  return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
};
const dataCount = (o: KubeObject): number => Object.keys(rec(o.data)).length + Object.keys(rec(o.binaryData)).length;

function workloadWide(): Column[] {
  return [
    col('Containers', (o) => containersOf(tmpl(o)).names, 1),
    col('Images', (o) => containersOf(tmpl(o)).images, 1),
    col('Selector', (o) => selectorString(spec(o).selector), 1),
  ];
}

/** Columns after NAME (AGE is placed where kubectl puts it). Keyed by `group/plural`. */
function table(age: Column): Record<string, Column[]> {
  return {
    '/pods': [
      col('Ready', podReady), col('Status', podStatus), col('Restarts', podRestarts), age,
      col('IP', (o) => str(status(o).podIP, '<none>'), 1), col('Node', (o) => str(spec(o).nodeName, '<none>'), 1),
      col('Nominated Node', (o) => str(status(o).nominatedNodeName, '<none>'), 1), col('Readiness Gates', () => '<none>', 1),
    ],
    'apps/deployments': [
      col('Ready', (o) => `${num(status(o).readyReplicas)}/${num(spec(o).replicas)}`),
      col('Up-to-date', (o) => num(status(o).updatedReplicas), 0, 'integer'),
      col('Available', (o) => num(status(o).availableReplicas), 0, 'integer'), age, ...workloadWide(),
    ],
    'apps/replicasets': [
      col('Desired', (o) => num(spec(o).replicas), 0, 'integer'), col('Current', (o) => num(status(o).replicas), 0, 'integer'),
      col('Ready', (o) => num(status(o).readyReplicas), 0, 'integer'), age, ...workloadWide(),
    ],
    '/replicationcontrollers': [
      col('Desired', (o) => num(spec(o).replicas), 0, 'integer'), col('Current', (o) => num(status(o).replicas), 0, 'integer'),
      col('Ready', (o) => num(status(o).readyReplicas), 0, 'integer'), age,
      col('Containers', (o) => containersOf(tmpl(o)).names, 1), col('Images', (o) => containersOf(tmpl(o)).images, 1),
      col('Selector', (o) => selectorString({ matchLabels: spec(o).selector }), 1),
    ],
    'apps/statefulsets': [
      col('Ready', (o) => `${num(status(o).readyReplicas)}/${num(spec(o).replicas)}`), age,
      col('Containers', (o) => containersOf(tmpl(o)).names, 1), col('Images', (o) => containersOf(tmpl(o)).images, 1),
    ],
    'apps/daemonsets': [
      col('Desired', (o) => num(status(o).desiredNumberScheduled), 0, 'integer'), col('Current', (o) => num(status(o).currentNumberScheduled), 0, 'integer'),
      col('Ready', (o) => num(status(o).numberReady), 0, 'integer'), col('Up-to-date', (o) => num(status(o).updatedNumberScheduled), 0, 'integer'),
      col('Available', (o) => num(status(o).numberAvailable), 0, 'integer'),
      col('Node Selector', (o) => selectorString({ matchLabels: rec(tmpl(o).spec).nodeSelector })), age, ...workloadWide(),
    ],
    'apps/controllerrevisions': [col('Controller', controllerName), col('Revision', (o) => num(o.revision), 0, 'integer'), age],
    'batch/jobs': [
      col('Status', jobStatus), col('Completions', jobCompletions), col('Duration', jobDuration), age, ...workloadWide(),
    ],
    'batch/cronjobs': [
      col('Schedule', (o) => str(spec(o).schedule)), col('Timezone', (o) => str(spec(o).timeZone, '<none>')),
      col('Suspend', cronJobSuspend, 0, 'boolean'), col('Active', cronJobActive, 0, 'integer'), col('Last Schedule', cronJobLastSchedule), age,
      col('Containers', (o) => containersOf(rec(rec(rec(spec(o).jobTemplate).spec).template)).names, 1),
      col('Images', (o) => containersOf(rec(rec(rec(spec(o).jobTemplate).spec).template)).images, 1),
      col('Selector', cronJobSelector, 1),
    ],
    '/services': [
      col('Type', (o) => str(spec(o).type, 'ClusterIP')), col('Cluster-IP', (o) => str(spec(o).clusterIP, '<none>')),
      col('External-IP', serviceExternalIp), col('Port(s)', servicePorts), age,
      col('Selector', (o) => { const s = Object.entries(rec(spec(o).selector)).map(([k, v]) => `${k}=${str(v)}`).join(','); return s || '<none>'; }, 1),
    ],
    'networking.k8s.io/ingresses': [
      col('Class', (o) => str(spec(o).ingressClassName, '<none>')), col('Hosts', ingressHosts), col('Address', lbAddresses),
      col('Ports', (o) => (arr(spec(o).tls).length > 0 ? '80, 443' : '80')), age,
    ],
    'networking.k8s.io/ingressclasses': [col('Controller', (o) => str(spec(o).controller)), col('Parameters', () => '<none>'), age],
    'autoscaling/horizontalpodautoscalers': [
      col('Reference', (o) => { const r = rec(spec(o).scaleTargetRef); return `${str(r.kind)}/${str(r.name)}`; }),
      col('Targets', hpaTargets), col('MinPods', (o) => (spec(o).minReplicas === undefined ? 1 : num(spec(o).minReplicas)), 0, 'integer'),
      col('MaxPods', (o) => num(spec(o).maxReplicas), 0, 'integer'), col('Replicas', (o) => num(status(o).currentReplicas), 0, 'integer'), age,
    ],
    '/nodes': [
      col('Status', nodeStatus), col('Roles', nodeRoles), age, col('Version', (o) => str(rec(status(o).nodeInfo).kubeletVersion)),
      col('Internal-IP', (o) => nodeAddress(o, 'InternalIP'), 1), col('External-IP', (o) => nodeAddress(o, 'ExternalIP'), 1),
      col('OS-Image', (o) => str(rec(status(o).nodeInfo).osImage, '<unknown>'), 1),
      col('Kernel-Version', (o) => str(rec(status(o).nodeInfo).kernelVersion, '<unknown>'), 1),
      col('Container-Runtime', (o) => str(rec(status(o).nodeInfo).containerRuntimeVersion, '<unknown>'), 1),
    ],
    '/namespaces': [col('Status', (o) => str(status(o).phase, 'Active')), age],
    '/endpoints': [col('Endpoints', endpointsList), age],
    '/configmaps': [col('Data', dataCount, 0, 'integer'), age],
    '/secrets': [col('Type', (o) => str(o.type, 'Opaque')), col('Data', dataCount, 0, 'integer'), age],
    '/persistentvolumeclaims': [
      col('Status', (o) => str(status(o).phase, 'Pending')), col('Volume', (o) => str(spec(o).volumeName)),
      col('Capacity', (o) => str(rec(status(o).capacity).storage)), col('Access Modes', (o) => accessModes(status(o).accessModes)),
      col('StorageClass', (o) => str(spec(o).storageClassName)), age,
    ],
    '/persistentvolumes': [
      col('Capacity', (o) => str(rec(spec(o).capacity).storage)), col('Access Modes', (o) => accessModes(spec(o).accessModes)),
      col('Reclaim Policy', (o) => str(spec(o).persistentVolumeReclaimPolicy, 'Retain')), col('Status', (o) => str(status(o).phase)),
      col('Claim', (o) => { const c = rec(spec(o).claimRef); return c.name ? `${str(c.namespace)}/${str(c.name)}` : ''; }),
      col('StorageClass', (o) => str(spec(o).storageClassName)), col('Reason', (o) => str(status(o).reason)), age,
    ],
    'storage.k8s.io/storageclasses': [
      col('Provisioner', (o) => str(o.provisioner)), col('ReclaimPolicy', (o) => str(o.reclaimPolicy, 'Delete')),
      col('VolumeBindingMode', (o) => str(o.volumeBindingMode, 'Immediate')),
      col('AllowVolumeExpansion', (o) => o.allowVolumeExpansion === true, 0, 'boolean'), age,
    ],
    'policy/poddisruptionbudgets': [
      col('Min Available', (o) => (spec(o).minAvailable === undefined ? 'N/A' : String(spec(o).minAvailable))),
      col('Max Unavailable', (o) => (spec(o).maxUnavailable === undefined ? 'N/A' : String(spec(o).maxUnavailable))),
      col('Allowed Disruptions', (o) => num(status(o).disruptionsAllowed), 0, 'integer'), age,
    ],
    'coordination.k8s.io/leases': [col('Holder', (o) => str(spec(o).holderIdentity)), age],
    'skiff.dev/nodegroups': [
      col('Min', (o) => num(spec(o).minSize), 0, 'integer'), col('Max', (o) => num(spec(o).maxSize), 0, 'integer'),
      col('Desired', (o) => num(spec(o).desiredSize ?? status(o).targetSize), 0, 'integer'),
      col('Ready', (o) => num(status(o).readyNodes), 0, 'integer'), age,
    ],
    'autoscaling.k8s.io/verticalpodautoscalers': [
      col('Mode', (o) => str(rec(spec(o).updatePolicy).updateMode, 'Auto')),
      col('CPU', (o) => str(rec(rec(arr(rec(status(o).recommendation).containerRecommendations)[0]).target).cpu)),
      col('Mem', (o) => str(rec(rec(arr(rec(status(o).recommendation).containerRecommendations)[0]).target).memory)),
      col('Provided', (o) => { const c = arr(status(o).conditions).map(rec).find((x) => x.type === 'RecommendationProvided'); return c ? str(c.status) : ''; }),
      age,
    ],
    'apiextensions.k8s.io/customresourcedefinitions': [col('Created At', (o) => str(o.metadata.creationTimestamp), 0, 'date')],
    'discovery.k8s.io/endpointslices': [
      col('AddressType', (o) => str(o.addressType)), col('Ports', (o) => arr(o.ports).map(rec).map((p) => String(num(p.port))).join(',') || '<unset>'),
      col('Endpoints', (o) => arr(o.endpoints).map(rec).flatMap((e) => arr(e.addresses).map((a) => str(a))).join(',') || '<unset>'), age,
    ],
  };
}

const eventColumns = (): Column[] => [
  col('Last Seen', eventLastSeen), col('Type', (o) => str(o.type)), col('Reason', (o) => str(o.reason)),
  col('Object', eventObject), col('Message', (o) => str(o.message).trim()),
];

/** Built-in columns for `info`, or undefined for kinds with only NAME AGE. */
export function builtinColumns(info: KindInfo, name: Column, age: Column): Column[] | undefined {
  if (info.group === '' && info.plural === 'events') return eventColumns();
  if (info.group === 'events.k8s.io' && info.plural === 'events') return eventColumns();
  const rest = table(age)[`${info.group}/${info.plural}`];
  return rest ? [name, ...rest] : undefined;
}

