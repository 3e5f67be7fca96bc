/** `SharedInformerFactory`: one informer (one list+watch) per resource and scope, shared by every controller. */
import type { KubeObject } from '../api/index.js';
import type { Clock, Logger } from '../util/index.js';
import type { KubeClient } from './client.js';
import { Informer } from './informer.js';
import { fanOutSignal } from './signals.js';
import type { InformerScope } from './informer.js';
import type { ResourceTarget } from './resource.js';

export interface SharedInformerFactoryOptions {
  client: Pick<KubeClient, 'listAll' | 'watch'>;
  clock: Clock;
  log: Logger;
  /** Default resync period for informers it creates; off when absent. */
  resyncMs?: number;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly runs: Promise<void>[] = [];
  private signal: AbortSignal | undefined;

  constructor(private readonly opts: SharedInformerFactoryOptions) {}

  /** The informer for `target` within `scope`, created on first request; started at once if the factory runs. */
  informerFor<T extends KubeObject = KubeObject>(target: ResourceTarget, scope: InformerScope = {}): Informer<T> {
    const key = [target.apiVersion, target.plural, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer<KubeObject>({
        ...this.opts,
        ...scope,
        target,
        log: this.opts.log.child({ informer: target.plural }),
      });
      this.informers.set(key, inf);
      if (this.signal) this.runOne(inf, this.signal);
    }
    return inf as unknown as Informer<T>;
  }

  /** Starts every informer created so far, and any created later, until `signal` aborts. */
  start(signal: AbortSignal): void {
    if (this.signal) return;
    // Every informer's watch and back-off listens on this signal: a private child avoids
    // max-listener warnings on the caller's signal.
    const own = fanOutSignal(signal).signal; // lives as long as the factory
    this.signal = own;
    for (const inf of this.informers.values()) this.runOne(inf, own);
  }

  /** Resolves when every informer created so far has synced. */
  async waitForSync(signal?: AbortSignal): Promise<void> {
    const fan = fanOutSignal(signal);
    try {
      await Promise.all([...this.informers.values()].map((i) => i.waitForSync(fan.signal)));
    } finally {
      fan.release();
    }
  }

  /** Resolves when every started informer has stopped. */
  async stopped(): Promise<void> {
    await Promise.all(this.runs);
  }

  private runOne(inf: Informer<KubeObject>, signal: AbortSignal): void {
    this.runs.push(inf.run(signal).catch((e: unknown) => this.opts.log.error('informer stopped', { error: (e as Error).message })));
  }
}
