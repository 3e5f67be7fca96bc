/**
 * Does a pod fit a node? The scheduler's own filters decide; a cheap numeric pre-check on cached
 * requests and allocatable rejects nodes that are plainly too full first (any such node would fail
 * the scheduler's NodeResourcesFit anyway), which keeps quantity parsing out of the hot loops. Pure.
 */
import type { Node, Pod } from '../../core/api/index.js';
import { allocatable, defaultFilters, runFilters } from '../../core/scheduler/index.js';
import type { Amounts, Filter, NodeInfo } from '../../core/scheduler/index.js';
import type { PodFacts } from './binpack.js';

export class FitChecker {
  private readonly alloc = new Map<Node, Amounts>();

  constructor(private readonly facts: PodFacts, private readonly filters: readonly Filter[] = defaultFilters) {}

  fits(pod: Pod, info: NodeInfo): boolean {
    return !this.plainlyTooFull(pod, info) && runFilters(pod, info, this.filters).ok;
  }

  private allocatableOf(node: Node): Amounts {
    let a = this.alloc.get(node);
    if (!a) this.alloc.set(node, (a = allocatable(node)));
    return a;
  }

  private plainlyTooFull(pod: Pod, info: NodeInfo): boolean {
    const alloc = this.allocatableOf(info.node);
    if (info.pods.length + 1 > (alloc.pods ?? 0)) return true;
    const req = this.facts.requests(pod);
    for (const name in req) {
      const want = req[name] ?? 0;
      if (name === 'pods' || want <= 0) continue;
      if (want > (alloc[name] ?? 0) - (info.requested[name] ?? 0)) return true;
    }
    return false;
  }
}
