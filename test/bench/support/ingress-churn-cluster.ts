/**
 * Benchmark child for bench:ingress-churn: an in-process API server (memory store, HTTPS on an ephemeral
 * port) plus skiff's ingress controller and proxy (HTTP on an ephemeral port), as test/ingress/controller-support.ts's
 * startCluster builds them. Prints one JSON line on stdout once serving:
 *   {"apiPort":…,"caCert":"…","token":"…","httpPort":…}
 * then answers each `stats` line on stdin with {"generation":…}. Exits on SIGTERM or when stdin closes.
 *   node --import tsx test/bench/support/ingress-churn-cluster.ts [--debounce-ms 5] [--cost-factor 3]
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../../../core/client/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';
import { startIngress } from '../../../ingress/index.js';
import { createNamespace, startServer, token } from '../../core/apiserver/harness.js';

const { values } = parseArgs({ options: { 'debounce-ms': { type: 'string' }, 'cost-factor': { type: 'string' } } });

const h = await startServer();
await createNamespace(h, 'default');
const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
const ac = new AbortController();
const informers = new SharedInformerFactory({ client, clock: systemClock, log: silentLogger });
const recorder = new EventRecorder({ client, component: 'skiff-ingress', clock: systemClock, log: silentLogger });
const ingress = await startIngress({
  client, informers, recorder, clock: systemClock, log: silentLogger, signal: ac.signal,
  httpPort: 0, httpsPort: null, ensureDefaultClass: true,
  ...(values['debounce-ms'] === undefined ? {} : { debounceMs: Number(values['debounce-ms']) }),
  ...(values['cost-factor'] === undefined ? {} : { rebuildCostFactor: Number(values['cost-factor']) }),
});

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await ingress.close();
  ac.abort();
  await informers.stopped();
  client.close();
  await h.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line.trim() === 'stats') process.stdout.write(`${JSON.stringify({ generation: ingress.tableGeneration() })}\n`);
});
rl.on('close', () => void shutdown());

process.stdout.write(`${JSON.stringify({ apiPort: h.port, caCert: h.pki.caCert, token, httpPort: ingress.httpPort })}\n`);
