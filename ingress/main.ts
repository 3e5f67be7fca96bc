/**
 * `skiff ingress --kubeconfig FILE [--ingress-http-port 8080] [--ingress-https-port 8443] [--metrics-port 10254]
 *  [--ingress-class skiff] [--address 127.0.0.1] [--publish-service ns/name | --publish-address ADDR]
 *  [--engine undici|http-proxy] [--access-log] [--ingress-workers N]`
 *
 * Runs the ingress controller until SIGINT/SIGTERM (or `signal`). With `--ingress-workers N > 1`, N processes
 * (node:cluster) each run the controller and share the listening ports; only the first serves `/metrics`.
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { EventRecorder, KubeClient, SharedInformerFactory } from '../core/client/index.js';
import { createLogger, systemClock, type Logger } from '../core/util/index.js';
import { startIngress } from './controller.js';
import type { EngineName } from './proxy/engine.js';

const options = {
  kubeconfig: { type: 'string' }, 'ingress-http-port': { type: 'string' }, 'ingress-https-port': { type: 'string' },
  'metrics-port': { type: 'string' }, 'ingress-class': { type: 'string' }, address: { type: 'string' },
  'publish-service': { type: 'string' }, 'publish-address': { type: 'string' }, engine: { type: 'string' },
  'access-log': { type: 'boolean' }, 'ingress-workers': { type: 'string' },
} as const;

function port(v: string | undefined, def: number, flag: string): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag}: not a port: ${v}`);
  return n;
}

export async function runIngress(argv: readonly string[], o: { signal?: AbortSignal; log?: Logger } = {}): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options, strict: true });
  const workers = Number(values['ingress-workers'] ?? 1);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`--ingress-workers: not a positive integer: ${values['ingress-workers'] ?? ''}`);
  if (workers > 1 && cluster.isPrimary) {
    cluster.setupPrimary({ exec: process.argv[1] ?? '', args: process.argv.slice(2) });
    for (let i = 0; i < workers; i++) cluster.fork({ SKIFF_INGRESS_WORKER: String(i) });
    await new Promise<void>((resolve) => {
      const stop = (): void => { for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM'); resolve(); };
      o.signal?.addEventListener('abort', stop, { once: true });
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return;
  }
  const httpPort = port(values['ingress-http-port'], 8080, '--ingress-http-port');
  const httpsPort = port(values['ingress-https-port'], 8443, '--ingress-https-port');
  const metricsPort = port(values['metrics-port'], 10254, '--metrics-port');
  const engine = values.engine ?? 'undici';
  if (engine !== 'undici' && engine !== 'http-proxy') throw new Error(`--engine: undici or http-proxy, not ${engine}`);
  const log = o.log ?? createLogger({}, { component: 'skiff-ingress' });
  const ac = new AbortController();
  o.signal?.addEventListener('abort', () => ac.abort(), { once: true });
  const onSignal = (): void => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const client = await KubeClient.fromKubeconfig(values.kubeconfig);
  const informers = new SharedInformerFactory({ client, clock: systemClock, log });
  const recorder = new EventRecorder({ client, component: 'skiff-ingress', clock: systemClock, log });
  const registry = new Registry();
  const running = await startIngress({
    client, informers, recorder, clock: systemClock, log, signal: ac.signal, metricsRegistry: registry,
    httpPort, httpsPort,
    address: values.address ?? '127.0.0.1', ensureDefaultClass: true, className: values['ingress-class'] ?? 'skiff',
    engine: engine as EngineName, accessLog: values['access-log'] === true,
    ...(values['publish-service'] === undefined ? {} : { publishService: values['publish-service'] }),
    ...(values['publish-address'] === undefined ? {} : { publishAddress: values['publish-address'] }),
  });
  const first = (process.env.SKIFF_INGRESS_WORKER ?? '0') === '0';
  const metrics = first ? createServer((req, res) => {
    if (req.url === '/metrics') {
      registry.metrics().then((text) => { res.writeHead(200, { 'content-type': registry.contentType }); res.end(text); },
        () => { res.writeHead(500); res.end(); });
    } else if (req.url === '/healthz') {
      res.end('ok');
    } else {
      res.writeHead(404);
      res.end();
    }
  }) : undefined;
  metrics?.listen(metricsPort, values.address ?? '127.0.0.1');
  log.info('ingress controller running', { httpPort: running.httpPort, httpsPort: running.httpsPort });
  await new Promise<void>((r) => { if (ac.signal.aborted) r(); else ac.signal.addEventListener('abort', () => r(), { once: true }); });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  metrics?.close();
  await running.close();
  await informers.stopped();
  await recorder.flush().catch(() => undefined);
  client.close();
}
