/** `skiff up`: the all-in-one control plane in the foreground. */
import { KindRegistry, registerBuiltins } from '../api/index.js';
import { createApiServer, ensurePki } from '../apiserver/index.js';
import { KubeClient, SharedInformerFactory, writeKubeconfig } from '../client/index.js';
import { startCoreControllers } from '../controllers/index.js';
import { openStore } from '../store/index.js';
import { createLogger, systemClock, type Logger } from '../util/index.js';
import { intOption, parse, UsageError } from './args.js';
import { openDataDir } from './datadir.js';

export const upUsage = `Usage: skiff up [flags]

Runs the skiff control plane in the foreground until Ctrl-C.

Flags:
  --data-dir DIR       where state, certificates and the kubeconfig live (default ./.skiff)
  --api-port PORT      API server port (default 6443; 0 picks a free port)
  --address ADDR       address to listen on (default 127.0.0.1, loopback only)
  --store KIND         sqlite (default, durable) or memory
  --log-level LEVEL    debug, info (default), warn or error
  --log-format FORMAT  text (default) or json`;

const options = {
  'data-dir': { type: 'string' },
  'api-port': { type: 'string' },
  address: { type: 'string' },
  store: { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  demo: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface UpConfig {
  dataDir: string;
  apiPort: number;
  address: string;
  store: 'sqlite' | 'memory';
  log: Logger;
}

function parseUp(argv: string[]): UpConfig | undefined {
  const { values } = parse(argv, options, false);
  if (values.help) return undefined;
  const store = values.store ?? 'sqlite';
  if (store !== 'sqlite' && store !== 'memory') throw new UsageError(`--store must be sqlite or memory, got "${store}"`);
  const level = values['log-level'] ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new UsageError(`--log-level must be debug, info, warn or error`);
  const format = values['log-format'] ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--log-format must be text or json`);
  return {
    dataDir: values['data-dir'] ?? './.skiff',
    apiPort: intOption(values['api-port'], 'api-port', 6443, 0, 65535),
    address: values.address ?? '127.0.0.1',
    store,
    log: createLogger({ level: level as 'info', format }),
  };
}

/** Explains a taken port in the words a user can act on. */
function listenError(e: unknown, what: string, port: number, flag: string): Error {
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return new UsageError(`port ${port} for the ${what} is already in use; choose another with ${flag} PORT (or stop what is using it)`);
  }
  return e instanceof Error ? e : new Error(String(e));
}

export async function up(argv: string[]): Promise<number> {
  const cfg = parseUp(argv);
  if (!cfg) {
    process.stdout.write(upUsage + '\n');
    return 0;
  }
  const { log } = cfg;
  const dir = openDataDir(cfg.dataDir);
  const stop = new AbortController();
  const cleanup: (() => Promise<void> | void)[] = [() => dir.release()];
  const shutdown = async (): Promise<void> => {
    stop.abort(new Error('shutting down'));
    for (const fn of cleanup.reverse()) {
      try {
        await fn();
      } catch (e) {
        log.warn('shutdown step failed', { err: e });
      }
    }
  };
  let signalled: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => {
    signalled = resolve;
  });
  const onSignal = (): void => signalled?.();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const pki = await ensurePki(dir.path);
    const { store } = openStore(cfg.store, dir.path);
    cleanup.push(() => store.close());
    const registry = new KindRegistry();
    registerBuiltins(registry);
    const server = createApiServer({ store, registry, token: dir.token, tls: { cert: pki.cert, key: pki.key }, log: log.child({ component: 'apiserver' }), clock: systemClock });
    let port: number;
    try {
      port = await server.listen(cfg.apiPort, cfg.address);
    } catch (e) {
      throw listenError(e, 'API server', cfg.apiPort, '--api-port');
    }
    cleanup.push(() => server.close());
    const host = cfg.address.includes(':') ? `[${cfg.address}]` : cfg.address;
    const apiUrl = `https://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    await writeKubeconfig(dir.kubeconfig, { server: apiUrl, caCert: pki.caCert, token: dir.token });

    const client = new KubeClient({ server: apiUrl, caCert: pki.caCert, token: dir.token, userAgent: 'skiff-controller-manager' });
    const informers = new SharedInformerFactory({ client, clock: systemClock, log: log.child({ component: 'informers' }) });
    await startCoreControllers({ client, informers, clock: systemClock, log: log.child({ component: 'controllers' }), signal: stop.signal });
    informers.start(stop.signal);
    cleanup.push(() => informers.stopped());
    cleanup.push(() => client.close());

    process.stdout.write(`skiff ready: ${apiUrl} kubeconfig=${dir.kubeconfig}\n`);
    process.stdout.write(`  export KUBECONFIG=${dir.kubeconfig}\n`);
    await stopped;
    log.info('shutting down');
    await shutdown();
    return 0;
  } catch (e) {
    await shutdown();
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
