/**
 * Benchmark child for bench:ingress-churn: an in-process API server (memory store, HTTPS on an ephemeral
 * port) plus skiff's ingress controller and proxy (HTTP on an ephemeral port), from test/ingress/controller-support.ts's
 * startCluster. Prints one JSON line on stdout once serving:
 *   {"apiPort":…,"caCert":"…","token":"…","httpPort":…}
 * then answers each `stats` line on stdin with {"generation":…}. Exits on SIGTERM or when stdin closes.
 *   node --import tsx test/bench/support/ingress-churn-cluster.ts [--debounce-ms 5] [--cost-factor 3]
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { token } from '../../core/apiserver/harness.js';
import { startCluster } from '../../ingress/controller-support.js';

const { values } = parseArgs({ options: { 'debounce-ms': { type: 'string' }, 'cost-factor': { type: 'string' } } });

const c = await startCluster({
  httpsPort: null,
  ...(values['debounce-ms'] === undefined ? {} : { debounceMs: Number(values['debounce-ms']) }),
  ...(values['cost-factor'] === undefined ? {} : { rebuildCostFactor: Number(values['cost-factor']) }),
});
const { h, ingress } = c;

let closing = false;
async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await c.close();
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
