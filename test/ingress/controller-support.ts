/** An in-process API server plus a running ingress controller, for integration tests. */
import { Registry } from 'prom-client';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../../core/client/index.js';
import { silentLogger, systemClock } from '../../core/util/index.js';
import { startIngress, type IngressOptions, type RunningIngress } from '../../ingress/index.js';
import { createNamespace, startServer, token, type Harness } from '../core/apiserver/harness.js';

export interface Cluster {
  h: Harness;
  client: KubeClient;
  ingress: RunningIngress;
  registry: Registry;
  close(): Promise<void>;
}

export async function startCluster(extra: Partial<IngressOptions> = {}): Promise<Cluster> {
  const h = await startServer();
  await createNamespace(h, 'default');
  const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
  const ac = new AbortController();
  const informers = new SharedInformerFactory({ client, clock: systemClock, log: silentLogger });
  const recorder = new EventRecorder({ client, component: 'skiff-ingress', clock: systemClock, log: silentLogger });
  const registry = new Registry();
  const ingress = await startIngress({
    client, informers, recorder, clock: systemClock, log: silentLogger, signal: ac.signal,
    httpPort: 0, httpsPort: 0, metricsRegistry: registry, ensureDefaultClass: true, ...extra,
  });
  return {
    h, client, ingress, registry,
    async close() {
      await ingress.close();
      ac.abort();
      await informers.stopped();
      client.close();
      await h.close();
    },
  };
}

/** Polls `check` every 5 ms until it returns true (or throws after `ms`). */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
