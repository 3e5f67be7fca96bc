/** Flags of `skiff up`. */
import { createLogger, type Logger } from '../util/index.js';
import { isValidQuantity } from '../api/index.js';
import { intOption, parse, UsageError } from './args.js';

export const upUsage = `Usage: skiff up [flags]

Runs the skiff control plane in the foreground until Ctrl-C.

Flags:
  --data-dir DIR       where state, certificates and the kubeconfig live (default ./.skiff)
  --api-port PORT      API server port (default 6443; 0 picks a free port)
  --address ADDR       address the API server listens on (default 127.0.0.1, loopback only)
  --store KIND         sqlite (default, durable) or memory
  --nodes N            local nodes to run in this process (default 2; with --demo 0, the node group brings its own)
  --node-cpu CPU       CPU capacity of each local node (default 4)
  --node-memory MEM    memory capacity of each local node (default 8Gi)
  --provider NAME      cloud provider: fake (default), aws, gcp, or a path to a plug-in module
  --cloud-config FILE  the provider's YAML configuration
  --dry-run            print the cloud changes the current objects would cause, change nothing
  --ingress-http-port PORT   ingress HTTP port (default 8080; 0 picks a free port)
  --ingress-https-port PORT  ingress HTTPS port (default 8443; 0 picks a free port)
  --dashboard-port PORT      dashboard port (default 8001; 0 picks a free port)
  --sync-period DURATION     HPA sync period (default 15s; --demo uses 5s)
  --prometheus-url URL       a Prometheus server for External/Object HPA metrics
  --adapter-config FILE      prometheus-adapter style rules (rules:, externalRules:) for those metrics
  --scan-interval DURATION   cluster autoscaler scan interval (default 10s; --demo 2s)
  --scale-down-unneeded-time DURATION  how long a node stays under-used before removal (default 10m; --demo 30s)
  --expander NAME            cluster autoscaler expander: least-waste (default), most-pods, random, priority, price
  --demo               start with the demo app, node group and autoscalers (what npm start runs)
  --log-level LEVEL    debug, info (default), warn or error
  --log-format FORMAT  text (default) or json`;

const options = {
  'data-dir': { type: 'string' },
  'api-port': { type: 'string' },
  address: { type: 'string' },
  store: { type: 'string' },
  nodes: { type: 'string' },
  'node-cpu': { type: 'string' },
  'node-memory': { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  provider: { type: 'string' },
  'cloud-config': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'ingress-http-port': { type: 'string' },
  'ingress-https-port': { type: 'string' },
  'dashboard-port': { type: 'string' },
  'sync-period': { type: 'string' },
  'prometheus-url': { type: 'string' },
  'scan-interval': { type: 'string' },
  'scale-down-unneeded-time': { type: 'string' },
  expander: { type: 'string' },
  'adapter-config': { type: 'string' },
  demo: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface UpConfig {
  dataDir: string;
  apiPort: number;
  address: string;
  store: 'sqlite' | 'memory';
  nodes: number;
  nodeCpu: string;
  nodeMemory: string;
  provider: string;
  cloudConfig: string | undefined;
  dryRun: boolean;
  ingressHttpPort: number;
  ingressHttpsPort: number;
  dashboardPort: number;
  /** HPA sync period in ms. */
  syncPeriodMs: number;
  prometheusUrl: string | undefined;
  scanIntervalMs: number;
  scaleDownUnneededTimeMs: number;
  expander: 'least-waste' | 'most-pods' | 'random' | 'priority' | 'price';
  adapterConfig: string | undefined;
  demo: boolean;
  log: Logger;
}

function durationMs(v: string | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback;
  const m = /^(\d+)(ms|s|m)?$/.exec(v);
  if (!m?.[1]) throw new UsageError(`--${flag} must be a duration such as 500ms, 15s or 1m, got "${v}"`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

function quantity(v: string | undefined, flag: string, fallback: string): string {
  if (v === undefined) return fallback;
  if (!isValidQuantity(v)) throw new UsageError(`--${flag} must be a Kubernetes quantity such as 4, 500m or 8Gi, got "${v}"`);
  return v;
}

const expanders = ['least-waste', 'most-pods', 'random', 'priority', 'price'] as const;
function expanderOf(v: string | undefined): UpConfig['expander'] {
  if (v === undefined) return 'least-waste';
  const found = expanders.find((e) => e === v);
  if (!found) throw new UsageError(`--expander must be one of ${expanders.join(', ')}, got "${v}"`);
  return found;
}

/** Parses the flags; `undefined` means help was asked for. */
export function parseUp(argv: string[]): UpConfig | undefined {
  const { values } = parse(argv, options, false);
  if (values.help) return undefined;
  const store = values.store ?? 'sqlite';
  if (store !== 'sqlite' && store !== 'memory') throw new UsageError(`--store must be sqlite or memory, got "${store}"`);
  const level = values['log-level'] ?? 'info';
  if (level !== 'debug' && level !== 'info' && level !== 'warn' && level !== 'error') throw new UsageError('--log-level must be debug, info, warn or error');
  const format = values['log-format'] ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--log-format must be text or json');
  const promUrl = values['prometheus-url'];
  if (promUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(promUrl)) throw new UsageError(`--prometheus-url must be an http(s) URL, got "${promUrl}"`);
  return {
    dataDir: values['data-dir'] ?? './.skiff',
    apiPort: intOption(values['api-port'], 'api-port', 6443, 0, 65535),
    address: values.address ?? '127.0.0.1',
    store,
    nodes: intOption(values.nodes, 'nodes', values.demo ? 0 : 2, 0, 50),
    nodeCpu: quantity(values['node-cpu'], 'node-cpu', '4'),
    nodeMemory: quantity(values['node-memory'], 'node-memory', '8Gi'),
    provider: values.provider ?? 'fake',
    cloudConfig: values['cloud-config'],
    dryRun: values['dry-run'] === true,
    ingressHttpPort: intOption(values['ingress-http-port'], 'ingress-http-port', 8080, 0, 65535),
    ingressHttpsPort: intOption(values['ingress-https-port'], 'ingress-https-port', 8443, 0, 65535),
    dashboardPort: intOption(values['dashboard-port'], 'dashboard-port', 8001, 0, 65535),
    syncPeriodMs: durationMs(values['sync-period'], 'sync-period', values.demo ? 5000 : 15_000),
    prometheusUrl: values['prometheus-url'],
    scanIntervalMs: durationMs(values['scan-interval'], 'scan-interval', values.demo ? 2000 : 10_000),
    scaleDownUnneededTimeMs: durationMs(values['scale-down-unneeded-time'], 'scale-down-unneeded-time', values.demo ? 30_000 : 600_000),
    expander: expanderOf(values.expander),
    adapterConfig: values['adapter-config'],
    demo: values.demo === true,
    log: createLogger({ level, format }),
  };
}
