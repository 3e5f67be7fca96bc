/** `status.loadBalancer.ingress` of accepted Ingresses: what to write (pure) and a serial writer. */
import type { Ingress, LoadBalancerIngress, Service } from '../../core/api/index.js';
import { isConflict, isNotFound } from '../../core/api/index.js';
import type { KubeClient } from '../../core/client/index.js';
import type { Logger } from '../../core/util/index.js';
import { ingressTarget } from './targets.js';

export interface PublishOptions {
  /** `--publish-service ns/name`: use that LoadBalancer Service's addresses. */
  readonly publishService?: string;
  /** An IP or hostname to publish; default the listen address (127.0.0.1 when listening on all). */
  readonly publishAddress?: string;
  readonly listenAddress: string;
}

/** The addresses to publish; undefined when the publish Service has none yet (write nothing). */
export function publishedAddresses(o: PublishOptions, service: (ns: string, name: string) => Service | undefined): LoadBalancerIngress[] | undefined {
  if (o.publishService !== undefined) {
    const [ns = '', name = ''] = o.publishService.split('/');
    const lb = service(ns, name)?.status?.loadBalancer?.ingress ?? [];
    if (lb.length === 0) return undefined;
    return lb.map((i) => (i.ip !== undefined ? { ip: i.ip } : { hostname: i.hostname ?? '' }));
  }
  const a = o.publishAddress ?? (o.listenAddress === '0.0.0.0' || o.listenAddress === '::' ? '127.0.0.1' : o.listenAddress);
  return /^[\d.]+$|:/.test(a) ? [{ ip: a }] : [{ hostname: a }];
}

export function statusMatches(ing: Ingress, want: readonly LoadBalancerIngress[]): boolean {
  return JSON.stringify(ing.status?.loadBalancer?.ingress ?? []) === JSON.stringify(want);
}

/** Writes statuses one at a time, newest desire per Ingress wins; failures are retried on the next rebuild. */
export class StatusWriter {
  readonly #wanted = new Map<string, { ing: Ingress; want: LoadBalancerIngress[] }>();
  #running = false;

  constructor(private readonly client: Pick<KubeClient, 'updateStatus'>, private readonly log: Logger, private readonly signal: AbortSignal) {}

  want(ing: Ingress, addresses: LoadBalancerIngress[]): void {
    this.#wanted.set(`${ing.metadata.namespace ?? ''}/${ing.metadata.name ?? ''}`, { ing, want: addresses });
    if (!this.#running) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#wanted.size > 0 && !this.signal.aborted) {
        const [key, w] = this.#wanted.entries().next().value as [string, { ing: Ingress; want: LoadBalancerIngress[] }];
        this.#wanted.delete(key);
        try {
          await this.client.updateStatus(ingressTarget, { ...w.ing, status: { ...w.ing.status, loadBalancer: { ingress: w.want } } }, { signal: this.signal });
        } catch (e) {
          if (!isNotFound(e) && !isConflict(e) && !this.signal.aborted) this.log.warn('ingress status update failed', { ingress: key, error: (e as Error).message });
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
