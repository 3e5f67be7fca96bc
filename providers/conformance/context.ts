/** Per-case context: the subject, its provider behind the kit's own counting proxy, fixtures. */
import { countCalls, isMutatingOperation } from '../../core/cloud/index.js';
import type { CallRecord, CloudProvider } from '../../core/cloud/index.js';
import type { Node, Service } from '../../core/api/index.js';
import { makeNode, makeService, retrying } from './subject.js';
import type { ConformanceOptions, ConformanceSubject } from './subject.js';

export class CaseContext {
  readonly provider: CloudProvider;
  readonly calls: CallRecord[] = [];
  readonly nodes: Node[];
  readonly signal = new AbortController().signal;

  constructor(readonly subject: ConformanceSubject, private readonly opts: ConformanceOptions) {
    this.provider = this.wrap(subject.provider);
    this.nodes = subject.nodes ?? ['node-a', 'node-b', 'node-c'].map((n) => makeNode(n));
  }

  /** Wraps another provider instance (after a restart) in the same counter. */
  wrap(p: CloudProvider): CloudProvider {
    return countCalls(p, (r) => this.calls.push(r));
  }

  /** Interface calls that may change the cloud, made so far. */
  mutatingInterfaceCalls(): number {
    return this.calls.filter((c) => isMutatingOperation(c.operation)).length;
  }

  /** Cloud-level mutating calls, when the subject can count them; else interface-level. */
  cloudMutations(): number {
    return this.subject.mutatingCalls?.() ?? this.mutatingInterfaceCalls();
  }

  call<T>(fn: () => Promise<T>): Promise<T> {
    return retrying(fn, this.opts.attempts);
  }

  service(name: string, extra: { annotations?: Record<string, string> } = {}): Service {
    const port = this.opts.port?.() ?? 20000 + Math.floor(Math.random() * 10000);
    return makeService({ name, port, ...extra });
  }
}
