/**
 * Benchmark proxy child: skiff's ingress proxy over a route table of `--rules` rules whose catch-all for host
 * `bench.test` (and any host) balances over `--backends`. Prints `ready` once listening.
 *   node --import tsx ingress-proxy.ts --port 8082 --backends 127.0.0.1:9001,127.0.0.2:9001 --rules 1 --engine undici --workers 1
 * The backends must share one port (as a Service's endpoints do). `--no-metrics` leaves the Prometheus metrics out.
 */
import cluster from 'node:cluster';
import { Registry } from 'prom-client';
import { parseArgs } from 'node:util';
import { silentLogger, systemClock } from '../../../core/util/index.js';
import { ProxyMetrics, startProxy, type EngineName } from '../../../ingress/index.js';
import { benchTable } from './ingress-world.js';

const { values } = parseArgs({ options: {
  port: { type: 'string' }, backends: { type: 'string' }, rules: { type: 'string' }, engine: { type: 'string' }, workers: { type: 'string' }, 'no-metrics': { type: 'boolean' },
} });
const port = Number(values.port ?? 8082);
const backends = (values.backends ?? '127.0.0.1:9001,127.0.0.2:9001').split(',');
const rules = Number(values.rules ?? 1);
const engine = (values.engine ?? 'undici') as EngineName;
const workers = Number(values.workers ?? 1);

async function serve(): Promise<void> {
  const table = benchTable(rules, backends);
  // Metrics on, as in `skiff up` and `skiff ingress` (the registry is never scraped here).
  const metrics = values['no-metrics'] === true ? {} : { metrics: new ProxyMetrics(new Registry()) };
  await startProxy({ clock: systemClock, log: silentLogger, httpPort: port, httpsPort: null, engine, initialTable: table, ...metrics });
  process.stdout.write(`ready ${table.size}\n`);
}

if (workers > 1 && cluster.isPrimary) {
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    const w = cluster.fork();
    w.process.stdout?.on('data', () => undefined);
    w.on('message', () => { if (++ready === workers) process.stdout.write('ready\n'); });
  }
} else if (workers > 1) {
  const out = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => { process.send?.('ready'); return out(s); }) as typeof process.stdout.write;
  await serve();
} else {
  await serve();
}
