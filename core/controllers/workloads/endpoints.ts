/** EndpointsController: one `Endpoints` per Service with a selector, following pod readiness (Kubernetes' endpoints_controller.go). */
import { deepEqual, isAlreadyExists, isNotFound, matchesLabels, objectKeyOf, splitObjectKey } from '../../api/index.js';
import type { Endpoints, Pod, Service } from '../../api/index.js';
import { ControllerRunner } from '../../client/index.js';
import type { Controller, Informer, KubeClient, ReconcileResult, SharedInformerFactory } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { endpointsTarget, inNamespace, podsTarget, servicesTarget } from './common.js';
import { computeSubsets } from './endpoints-decide.js';

export const headlessLabel = 'service.kubernetes.io/headless';

export interface EndpointsControllerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  log: Logger;
  workers?: number;
}

/** Pure: the Endpoints the service should have over `pods` (all pods of its namespace; the selector is applied here). */
export function desiredEndpoints(svc: Service, pods: readonly Pod[]): Endpoints {
  const selector = svc.spec?.selector ?? {};
  const selected = pods.filter((p) => matchesLabels({ matchLabels: selector }, p.metadata.labels));
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec?.clusterIP === 'None') labels[headlessLabel] = '';
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, ...(Object.keys(labels).length > 0 ? { labels } : {}) },
    subsets: computeSubsets(svc, selected),
  };
}

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  private readonly runner: ControllerRunner;
  private readonly svcInf: Informer<Service>;
  private readonly podInf: Informer<Pod>;
  private readonly epInf: Informer<Endpoints>;

  constructor(private readonly o: EndpointsControllerOptions) {
    this.runner = new ControllerRunner({ name: this.name, clock: o.clock, log: o.log, workers: o.workers ?? 5, reconcile: (k, s) => this.reconcile(k, s) });
    this.svcInf = o.informers.informerFor<Service>(servicesTarget);
    this.podInf = o.informers.informerFor<Pod>(podsTarget);
    this.epInf = o.informers.informerFor<Endpoints>(endpointsTarget);
  }

  async start(signal: AbortSignal): Promise<void> {
    const enqueue = (o: Service | Endpoints): void => this.runner.enqueue(objectKeyOf(o));
    this.svcInf.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.epInf.addHandlers({ onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.podInf.addHandlers({
      onAdd: (p) => this.enqueueForPod(p),
      onUpdate: (old, p) => {
        this.enqueueForPod(p);
        if (!deepEqual(old.metadata.labels, p.metadata.labels)) this.enqueueForPod(old);
      },
      onDelete: (p) => this.enqueueForPod(p),
    });
    this.o.informers.start(signal);
    await Promise.all([this.svcInf.waitForSync(signal), this.podInf.waitForSync(signal), this.epInf.waitForSync(signal)]).catch(() => undefined);
    await this.runner.run(signal);
  }

  private enqueueForPod(pod: Pod): void {
    for (const svc of inNamespace(this.svcInf.list(), pod.metadata.namespace)) {
      const sel = svc.spec?.selector;
      if (sel && matchesLabels({ matchLabels: sel }, pod.metadata.labels)) this.runner.enqueue(objectKeyOf(svc));
    }
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitObjectKey(key);
    const svc = this.svcInf.get(key);
    if (!svc) {
      // Kubernetes sets no owner on Endpoints: it deletes them when their Service is gone.
      if (!this.epInf.get(key)) return;
      try {
        await this.o.client.delete(endpointsTarget, namespace, name, { signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    if (!svc.spec?.selector || svc.spec.type === 'ExternalName') return;
    const want = desiredEndpoints(svc, inNamespace(this.podInf.list(), namespace));
    const have = this.epInf.get(key);
    if (!have) {
      try {
        await this.o.client.create<Endpoints>(endpointsTarget, want, { signal });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        throw new Error(`endpoints ${key} exist but are not in the cache yet`, { cause: e });
      }
      return;
    }
    if (deepEqual(have.subsets ?? [], want.subsets) && deepEqual(have.metadata.labels ?? {}, want.metadata.labels ?? {})) return;
    await this.o.client.update<Endpoints>(endpointsTarget, {
      ...have,
      metadata: { ...have.metadata, labels: want.metadata.labels },
      subsets: want.subsets,
    }, { signal });
  }
}
