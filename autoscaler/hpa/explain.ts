/** Human explanations of HPA decisions. */
import { formatMilli } from './quantity.js';
import type { MetricProposal } from './types.js';

/** "cpu 240% of target 60% over 3 ready pods → 12", or the metric's error. */
export function describeProposal(p: MetricProposal): string {
  if (p.error !== undefined) return `${p.metric}: ${p.error}`;
  const pods = p.readyPods !== undefined ? ` over ${p.readyPods} ready pod${p.readyPods === 1 ? '' : 's'}` : '';
  if (p.utilization !== undefined) {
    const resource = p.metric.split(' ')[0] ?? p.metric;
    return `${resource} ${p.utilization}% of target ${p.target ?? 0}%${pods} → ${p.replicas ?? '?'}`;
  }
  return `${p.metric} ${formatMilli(p.currentValue ?? 0)} vs target ${formatMilli(p.target ?? 0)}${pods} → ${p.replicas ?? '?'}`;
}

export function describeDecision(parts: {
  proposals: readonly MetricProposal[]; prefix?: string; stabilized?: { from: number; to: number; reason: string };
  limited?: { to: number; by: string }; desired: number; current: number;
}): string {
  const out: string[] = [];
  if (parts.prefix) out.push(parts.prefix);
  if (parts.proposals.length > 0) out.push(parts.proposals.map(describeProposal).join('; '));
  if (parts.stabilized) out.push(`stabilized from ${parts.stabilized.from} to ${parts.stabilized.to} (${parts.stabilized.reason})`);
  if (parts.limited) out.push(`limited to ${parts.limited.to} by ${parts.limited.by}`);
  out.push(parts.desired === parts.current ? `keeping ${parts.current} replicas` : `scaling ${parts.current} → ${parts.desired}`);
  return out.join('; ');
}
