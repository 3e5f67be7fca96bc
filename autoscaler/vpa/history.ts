/**
 * The VPA recommender's in-memory usage histories: per (pod, container) CPU and memory samples and OOM
 * kills, bounded by age and count. Lost on restart (Kubernetes' recommender can checkpoint; skiff does not).
 */
import type { Pod } from '../../core/api/index.js';
import type { PodUsage } from '../metrics/index.js';
import type { VpaContainerHistory } from './types.js';

export interface HistoryLimits {
  /** Samples older than this are dropped; default 8 days (the recommender's history length). */
  maxAgeMs: number;
  /** Per container instance and kind of sample; default 20 000. */
  maxSamples: number;
}

export const defaultHistoryLimits: HistoryLimits = { maxAgeMs: 8 * 24 * 3600 * 1000, maxSamples: 20_000 };

function trim<T extends { timestamp: number }>(xs: T[], now: number, limits: HistoryLimits): T[] {
  const cutoff = now - limits.maxAgeMs;
  const kept = xs.filter((x) => x.timestamp >= cutoff);
  return kept.length > limits.maxSamples ? kept.slice(kept.length - limits.maxSamples) : kept;
}

/** All container histories of one VPA's pods. */
export class UsageHistory {
  private readonly byContainer = new Map<string, VpaContainerHistory>();
  private readonly seenOoms = new Set<string>();

  constructor(private readonly limits: HistoryLimits = defaultHistoryLimits) {}

  private entry(pod: Pod, container: string): VpaContainerHistory {
    const podName = pod.metadata.name ?? '';
    const key = `${podName}/${container}`;
    let h = this.byContainer.get(key);
    if (!h) {
      h = { pod: podName, container, cpuSamples: [], memorySamples: [], ooms: [] };
      this.byContainer.set(key, h);
    }
    const requests = pod.spec.containers.find((c) => c.name === container)?.resources?.requests;
    if (requests) h.requests = { ...requests };
    return h;
  }

  /** Adds one usage report of `pod`; a CPU sample is keyed by its interval start and never added twice. */
  addUsage(pod: Pod, usage: PodUsage, now: number): void {
    const start = usage.timestamp - usage.windowSeconds * 1000;
    for (const [name, u] of Object.entries(usage.containers)) {
      const h = this.entry(pod, name);
      const cpu = h.cpuSamples ?? [];
      const last = cpu[cpu.length - 1];
      if (!last || start > last.timestamp) cpu.push({ timestamp: start, millicores: u.cpuMilli });
      const mem = h.memorySamples ?? [];
      const lastMem = mem[mem.length - 1];
      if (!lastMem || usage.timestamp > lastMem.timestamp) mem.push({ timestamp: usage.timestamp, bytes: u.memoryBytes });
      h.cpuSamples = trim(cpu, now, this.limits);
      h.memorySamples = trim(mem, now, this.limits);
    }
  }

  /** Records OOM kills reported in `lastState.terminated` (each finish time once). */
  addOoms(pod: Pod, now: number): void {
    for (const s of pod.status?.containerStatuses ?? []) {
      const t = s.lastState?.terminated;
      if (t?.reason !== 'OOMKilled') continue;
      const at = Date.parse(t.finishedAt ?? '');
      const when = Number.isNaN(at) ? now : at;
      const id = `${pod.metadata.uid ?? pod.metadata.name ?? ''}/${s.name}/${t.finishedAt ?? s.restartCount}`;
      if (this.seenOoms.has(id)) continue;
      this.seenOoms.add(id);
      const h = this.entry(pod, s.name);
      h.ooms = trim([...(h.ooms ?? []), { timestamp: when }], now, this.limits);
    }
  }

  /** Snapshots for `vpaRecommend`. */
  containers(): VpaContainerHistory[] {
    return [...this.byContainer.values()];
  }
}
