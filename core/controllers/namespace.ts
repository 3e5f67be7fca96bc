/** NamespaceController: creates the system namespaces and empties terminating namespaces, then finalizes them. */
import { ApiError, isAlreadyExists, isNotFound } from '../api/index.js';
import type { KubeObject, Namespace, Status } from '../api/index.js';
import { ControllerRunner, backoffDelay } from '../client/index.js';
import type { Controller, KubeClient, ReconcileResult, ResourceInfo, ResourceTarget, SharedInformerFactory } from '../client/index.js';
import type { Clock, Logger } from '../util/index.js';

export const namespacesTarget: ResourceTarget = { apiVersion: 'v1', plural: 'namespaces', namespaced: false };
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;
const kubernetesFinalizer = 'kubernetes';

export interface NamespaceControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  log: Logger;
  workers?: number;
  /** How soon a namespace whose contents are still going away is checked again; default 1000 ms. */
  recheckMs?: number;
}

/** Pure: the namespaced resources whose objects a terminating namespace must lose. */
export function resourcesToEmpty(resources: readonly ResourceInfo[]): ResourceInfo[] {
  return resources.filter((r) => r.namespaced && r.verbs.includes('list') && r.verbs.includes('delete'));
}

/** Pure: the namespace with the `kubernetes` finalizer removed from `spec.finalizers`, or undefined if it has none. */
export function withoutKubernetesFinalizer(ns: Namespace): Namespace | undefined {
  const finalizers = ns.spec?.finalizers ?? [];
  if (!finalizers.includes(kubernetesFinalizer)) return undefined;
  return { ...ns, spec: { ...ns.spec, finalizers: finalizers.filter((f) => f !== kubernetesFinalizer) } };
}

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  private readonly runner: ControllerRunner;

  constructor(private readonly o: NamespaceControllerOptions) {
    this.runner = new ControllerRunner({
      name: this.name,
      clock: o.clock,
      log: o.log,
      workers: o.workers ?? 2,
      reconcile: (key, signal) => this.reconcile(key, signal),
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.ensureSystemNamespaces(signal);
    const inf = this.o.informers.informerFor<Namespace>(namespacesTarget);
    const maybeEnqueue = (ns: Namespace): void => {
      if (ns.metadata.deletionTimestamp && ns.metadata.name) this.runner.enqueue(ns.metadata.name);
    };
    inf.addHandlers({
      onAdd: maybeEnqueue,
      onUpdate: (_old, ns) => maybeEnqueue(ns),
      // A server that deletes namespaces without finalizing them still gets their contents removed.
      onDelete: (ns) => ns.metadata.name && this.runner.enqueue(ns.metadata.name),
    });
    this.o.informers.start(signal);
    await this.runner.run(signal);
  }

  /** Creates the system namespaces, retrying with back-off until they exist or `signal` aborts. */
  private async ensureSystemNamespaces(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        for (const name of systemNamespaces) await this.ensureNamespace(name, signal);
        return;
      } catch (e) {
        if (signal.aborted) return;
        this.o.log.warn('cannot create system namespaces', { error: (e as Error).message });
        await this.o.clock.sleep(backoffDelay(attempt, 200, 10_000), signal).catch(() => undefined);
      }
    }
  }

  private async ensureNamespace(name: string, signal: AbortSignal): Promise<void> {
    try {
      await this.o.client.create<Namespace>(namespacesTarget, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { signal });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }

  private async reconcile(name: string, signal: AbortSignal): Promise<ReconcileResult> {
    let ns: Namespace;
    try {
      ns = await this.o.client.get<Namespace>(namespacesTarget, undefined, name, { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      const left = await this.deleteContents(name, signal);
      return left > 0 ? { requeueAfterMs: this.o.recheckMs ?? 1000 } : undefined;
    }
    if (!ns.metadata.deletionTimestamp) return;
    if (ns.status?.phase !== 'Terminating') {
      ns = await this.o.client.updateStatus<Namespace>(namespacesTarget, { ...ns, status: { ...ns.status, phase: 'Terminating' } }, { signal });
    }
    const remaining = await this.deleteContents(name, signal);
    if (remaining > 0) return { requeueAfterMs: this.o.recheckMs ?? 1000 };
    await this.finalize(ns, signal);
  }

  /** Deletes every object in the namespace; returns how many are still there (held by finalizers). */
  private async deleteContents(namespace: string, signal: AbortSignal): Promise<number> {
    const resources = resourcesToEmpty(await this.o.client.serverResources({ refresh: true, signal }));
    let remaining = 0;
    const failures: string[] = [];
    for (const res of resources) {
      try {
        remaining += await this.deleteAllOf(res, namespace, signal);
      } catch (e) {
        failures.push(`${res.plural}: ${(e as Error).message}`);
      }
    }
    if (failures.length > 0) throw new Error(`cannot empty namespace ${namespace}: ${failures.join('; ')}`);
    return remaining;
  }

  private async deleteAllOf(res: ResourceInfo, namespace: string, signal: AbortSignal): Promise<number> {
    const list = await this.o.client.listAll(res, { namespace, signal });
    let remaining = 0;
    for (const obj of list.items) {
      if (obj.metadata.deletionTimestamp) {
        remaining++;
        continue;
      }
      try {
        const out = await this.o.client.delete(res, namespace, obj.metadata.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: obj.metadata.uid }, signal });
        if (stillThere(out)) remaining++;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return remaining;
  }

  /** Removes the `kubernetes` finalizer through `/finalize`, or with an update when the server has no such subresource. */
  private async finalize(ns: Namespace, signal: AbortSignal): Promise<void> {
    const next = withoutKubernetesFinalizer(ns);
    if (!next) return;
    try {
      await this.o.client.put(namespacesTarget, next, 'finalize', { signal });
      return;
    } catch (e) {
      if (!isNotFound(e) && !(e instanceof ApiError && e.code === 405)) throw e;
    }
    try {
      await this.o.client.update(namespacesTarget, next, { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** A delete answered with the object still carrying finalizers means it is not gone yet. */
function stillThere(out: KubeObject | Status): boolean {
  return out.kind !== 'Status' && (out as KubeObject).metadata.deletionTimestamp !== undefined;
}
