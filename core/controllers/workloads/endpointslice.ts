/** EndpointSliceController: `discovery.k8s.io/v1` EndpointSlices for Services with a selector (one per port set, 100 endpoints each). */
import { deepEqual, isNotFound, objectKeyOf, splitObjectKey } from '../../api/index.js';
import type { EndpointSlice, Pod, Service } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, Informer, KubeClient, ReconcileResult, ResourceTarget, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { inNamespace, podsTarget, servicesTarget } from './common.js';
import { desiredSlices, managedByLabel, managedByValue, newSlice, serviceNameLabel, slicePortsKey } from './endpointslice-decide.js';
import type { DesiredSlice } from './endpointslice-decide.js';

export const endpointSlicesTarget: ResourceTarget = { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true };

export interface EndpointSliceControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  log: Logger;
  workers?: number;
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  private readonly runner: ControllerRunner;
  private readonly svcInf: Informer<Service>;
  private readonly podInf: Informer<Pod>;
  private readonly sliceInf: Informer<EndpointSlice>;
  /** Slices created but not yet in the informer cache, per service key, so a lagging cache causes no duplicates. */
  private readonly created = new Map<string, { slice: EndpointSlice; at: number }[]>();

  constructor(private readonly o: EndpointSliceControllerOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: o.workers ?? 5, reconcile: (k, s) => this.reconcile(k, s) });
    this.svcInf = o.informers.informerFor<Service>(servicesTarget);
    this.podInf = o.informers.informerFor<Pod>(podsTarget);
    this.sliceInf = o.informers.informerFor<EndpointSlice>(endpointSlicesTarget, { labelSelector: `${managedByLabel}=${managedByValue}` });
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (svc: Service): void => this.runner.enqueue(objectKeyOf(svc));
    this.svcInf.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const forSlice = (s: EndpointSlice): void => {
      const svc = s.metadata.labels?.[serviceNameLabel];
      if (svc) this.runner.enqueue(`${s.metadata.namespace ?? ''}/${svc}`);
    };
    this.sliceInf.addHandlers({ onUpdate: (_o, n) => forSlice(n), onDelete: forSlice });
    const forPod = (p: Pod): void => {
      for (const svc of inNamespace(this.svcInf.list(), p.metadata.namespace)) {
        if (svc.spec?.selector) this.runner.enqueue(objectKeyOf(svc));
      }
    };
    this.podInf.addHandlers({ onAdd: forPod, onUpdate: (_o, n) => forPod(n), onDelete: forPod });
    this.o.informers.start(signal);
    await Promise.all([this.svcInf.waitForSync(signal), this.podInf.waitForSync(signal), this.sliceInf.waitForSync(signal)]).catch(() => undefined);
    await this.runner.run(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitObjectKey(key);
    const existing = [...inNamespace(this.sliceInf.list(), namespace).filter((s) => s.metadata.labels?.[serviceNameLabel] === name), ...this.pending(key)];
    const svc = this.svcInf.get(key);
    if (!svc || !svc.spec?.selector || svc.spec.type === 'ExternalName') {
      // The garbage collector would remove them through their owner reference too; this is quicker.
      for (const s of existing) await this.remove(s, signal);
      return;
    }
    const want = desiredSlices(svc, inNamespace(this.podInf.list(), namespace));
    const spare = [...existing];
    for (const w of want) {
      const i = spare.findIndex((s) => slicePortsKey(s.ports) === slicePortsKey(w.ports));
      const match = i >= 0 ? spare.splice(i, 1)[0] : undefined;
      if (match) await this.update(match, w, signal);
      else {
        const slice = await this.o.client.create<EndpointSlice>(endpointSlicesTarget, newSlice(svc, w), { signal });
        this.created.set(key, [...(this.created.get(key) ?? []), { slice, at: this.o.clock.now() }]);
      }
    }
    for (const s of spare) await this.remove(s, signal);
  }

  /** Created slices the cache does not show yet (forgotten once seen, or after a minute). */
  private pending(key: string): EndpointSlice[] {
    const cutoff = this.o.clock.now() - 60_000;
    const left = (this.created.get(key) ?? []).filter((c) => c.at >= cutoff && !this.sliceInf.get(objectKeyOf(c.slice)));
    if (left.length > 0) this.created.set(key, left);
    else this.created.delete(key);
    return left.map((c) => c.slice);
  }

  private async update(have: EndpointSlice, want: DesiredSlice, signal: AbortSignal): Promise<void> {
    if (deepEqual(have.endpoints ?? [], want.endpoints) && deepEqual(have.ports ?? [], want.ports)) return;
    await this.o.client.update<EndpointSlice>(endpointSlicesTarget, { ...have, endpoints: want.endpoints, ports: want.ports }, { signal });
  }

  private async remove(s: EndpointSlice, signal: AbortSignal): Promise<void> {
    for (const [k, list] of this.created) this.created.set(k, list.filter((c) => c.slice.metadata.uid !== s.metadata.uid));
    try {
      await this.o.client.delete(endpointSlicesTarget, s.metadata.namespace, s.metadata.name ?? '', { preconditions: { uid: s.metadata.uid }, signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
