/** Container resource policies (vpa utils capping.go): lookup, controlled resources, minAllowed/maxAllowed caps. */
import type { ContainerResourcePolicy, VerticalPodAutoscaler } from '../../core/api/index.js';
import { canonical, cpuMillicores, memoryBytes } from './quantity.js';

/** The policy for a container: an exact name match, else the "*" default. */
export function containerPolicy(vpa: VerticalPodAutoscaler, container: string): ContainerResourcePolicy | undefined {
  const policies = vpa.spec.resourcePolicy?.containerPolicies ?? [];
  return policies.find((p) => p.containerName === container) ?? policies.find((p) => p.containerName === '*');
}

export function controlledResources(policy: ContainerResourcePolicy | undefined): string[] {
  return policy?.controlledResources ?? ['cpu', 'memory'];
}

const amountOf = (resource: string, q: string): number => (resource === 'cpu' ? cpuMillicores(q) : memoryBytes(q));

/** Raises a value to minAllowed and lowers it to maxAllowed; returns the policy quantity when it applies. */
export function capToPolicy(resource: string, value: string, amount: number, policy: ContainerResourcePolicy | undefined): string {
  const min = policy?.minAllowed?.[resource];
  if (min !== undefined && amount < amountOf(resource, min)) return canonical(min);
  const max = policy?.maxAllowed?.[resource];
  if (max !== undefined && amount > amountOf(resource, max)) return canonical(max);
  return value;
}
