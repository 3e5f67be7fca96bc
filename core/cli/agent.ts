/** `skiff agent`: one node agent (and its service proxy) joining a running control plane from its kubeconfig. */
import { setMaxListeners } from 'node:events';
import { join, resolve } from 'node:path';
import { isValidQuantity } from '../api/index.js';
import { EventRecorder, KubeClient, SharedInformerFactory, loadKubeconfig } from '../client/index.js';
import { NodeAgent, ServiceProxy } from '../node/index.js';
import { createLogger, systemClock } from '../util/index.js';
import { parse, UsageError } from './args.js';

export const agentUsage = `Usage: skiff agent --name NAME --address 127.0.X.Y --pod-range 127.N [flags]

Runs one node: registers it with the API server in $KUBECONFIG (or --kubeconfig), runs the pods
scheduled to it as local processes and proxies Services on its address.

Flags:
  --kubeconfig FILE    API server to join (default $KUBECONFIG, else ./.skiff/kubeconfig)
  --name NAME          node name (required)
  --address ADDR       the node's loopback address, e.g. 127.0.2.1 (required)
  --pod-range 127.N    first two octets of the node's pod IPs, e.g. 127.150 (required)
  --cpu CPU            CPU capacity (default 4)
  --memory MEM         memory capacity (default 8Gi)
  --label K=V          node label (repeatable)
  --data-dir DIR       where pod files and logs go (default ./.skiff/agents/NAME)`;

export async function agent(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    kubeconfig: { type: 'string' }, name: { type: 'string' }, address: { type: 'string' }, 'pod-range': { type: 'string' },
    cpu: { type: 'string' }, memory: { type: 'string' }, label: { type: 'string', multiple: true }, 'data-dir': { type: 'string' },
    'log-level': { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, false);
  if (values.help) {
    process.stdout.write(agentUsage + '\n');
    return 0;
  }
  const name = values.name;
  const address = values.address;
  const podRange = values['pod-range'];
  if (!name || !address || !podRange) throw new UsageError('--name, --address and --pod-range are required (skiff agent --help)');
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)) throw new UsageError(`--address must be a loopback IPv4 address, got "${address}"`);
  if (!/^127\.\d{1,3}$/.test(podRange)) throw new UsageError(`--pod-range must look like 127.N, got "${podRange}"`);
  for (const [flag, v] of [['cpu', values.cpu], ['memory', values.memory]] as const) {
    if (v !== undefined && !isValidQuantity(v)) throw new UsageError(`--${flag} must be a Kubernetes quantity, got "${v}"`);
  }
  const labels: Record<string, string> = {};
  for (const l of values.label ?? []) {
    const i = l.indexOf('=');
    if (i <= 0) throw new UsageError(`--label must be KEY=VALUE, got "${l}"`);
    labels[l.slice(0, i)] = l.slice(i + 1);
  }
  const level = values['log-level'] ?? 'info';
  if (level !== 'debug' && level !== 'info' && level !== 'warn' && level !== 'error') throw new UsageError('--log-level must be debug, info, warn or error');
  const log = createLogger({ level });
  const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG?.split(':')[0] ?? './.skiff/kubeconfig';
  const creds = await loadKubeconfig(kubeconfig).catch((e: unknown) => {
    throw new UsageError(`cannot read kubeconfig ${kubeconfig}: ${(e as Error).message}`);
  });
  const token = creds.token;
  if (!token) throw new UsageError('the kubeconfig has no bearer token (skiff agent serves logs and usage to the API server with it)');
  const client = new KubeClient({ ...creds, userAgent: `skiff-agent/${name}` });
  const stop = new AbortController();
  setMaxListeners(1000, stop.signal);
  const informers = new SharedInformerFactory({ client, clock: systemClock, log: log.child({ component: 'informers' }) });
  const recorder = new EventRecorder({ client, component: 'kubelet', host: name, clock: systemClock, log });
  const node = new NodeAgent({
    client, informers, recorder, nodeName: name, address, podIPPrefix: podRange,
    capacity: { cpu: values.cpu ?? '4', memory: values.memory ?? '8Gi' }, labels,
    dataDir: resolve(values['data-dir'] ?? join('.skiff', 'agents', name)),
    serverToken: token, clock: systemClock, log: log.child({ node: name }),
  });
  const proxy = new ServiceProxy({ informers, nodeAddresses: () => [address], log: log.child({ component: 'service-proxy' }) });
  let done: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (done = r));
  const onSignal = (): void => done();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await node.start(stop.signal);
    proxy.start();
    informers.start(stop.signal);
    process.stdout.write(`skiff agent ready: node ${name} at ${address}\n`);
    await stopped;
    return 0;
  } finally {
    stop.abort();
    await node.shutdown();
    await proxy.stop();
    client.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
