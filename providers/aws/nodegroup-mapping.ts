/** Pure: cluster-autoscaler's ASG tags → discovery and node templates. */
import type { InstanceState, NodeTemplate } from '../../core/cloud/index.js';
import type { Taint } from '../../core/api/index.js';
import { INSTANCE_TYPES } from './mapping.js';
import type { TagMap } from './mapping.js';

export const CA_ENABLED = 'k8s.io/cluster-autoscaler/enabled';
export const caClusterTag = (cluster: string): string => `k8s.io/cluster-autoscaler/${cluster}`;
const PREFIX = 'k8s.io/cluster-autoscaler/node-template/';

export const isDiscoverable = (tags: TagMap, cluster: string): boolean => CA_ENABLED in tags && caClusterTag(cluster) in tags;

export function instanceState(lifecycle: string | undefined): InstanceState {
  const s = lifecycle ?? '';
  if (s.startsWith('Pending')) return 'creating';
  if (s.startsWith('Terminating') || s === 'Terminated' || s.startsWith('Detach')) return 'deleting';
  return 'running';
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/** Capacity from the instance type table, overridden by `…/resources/*` tags; labels and taints from their tags. */
export function nodeTemplate(tags: TagMap, instanceType: string | undefined, zone: string | undefined): NodeTemplate {
  const known = instanceType ? INSTANCE_TYPES[instanceType] : undefined;
  const capacity: Record<string, string> = { pods: '110', ...(known ? { cpu: String(known.cpu), memory: `${known.memoryMi}Mi` } : {}) };
  if (known?.gpu) capacity['nvidia.com/gpu'] = String(known.gpu);
  const labels: Record<string, string> = {};
  const taints: Taint[] = [];
  for (const [k, v] of Object.entries(tags)) {
    if (!k.startsWith(PREFIX)) continue;
    const rest = k.slice(PREFIX.length);
    if (rest.startsWith('label/')) labels[rest.slice(6)] = v;
    else if (rest.startsWith('resources/')) capacity[rest.slice(10)] = v;
    else if (rest.startsWith('taint/')) {
      const [value, effect] = v.includes(':') ? [v.slice(0, v.lastIndexOf(':')), v.slice(v.lastIndexOf(':') + 1)] : ['', v];
      const eff = EFFECTS.find((e) => e === effect) ?? 'NoSchedule';
      taints.push({ key: rest.slice(6), ...(value ? { value } : {}), effect: eff });
    }
  }
  if (instanceType) labels['node.kubernetes.io/instance-type'] = instanceType;
  if (zone) labels['topology.kubernetes.io/zone'] = zone;
  return { capacity, labels, taints, ...(instanceType ? { instanceType } : {}), ...(zone ? { zone } : {}) };
}
