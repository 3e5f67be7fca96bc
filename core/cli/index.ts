/**
 * core/cli: the `skiff` command. `main(argv)` returns the exit code; user errors print one line.
 * Each subcommand is imported only when it runs (`skiff --help` loads nothing else; `skiff get` no cloud
 * SDK, load generator, ingress or dashboard), so the command starts about as fast as Node itself.
 */
import { readFileSync } from 'node:fs';
import type { KubeClient } from '../client/index.js';
import { packageVersion } from '../util/index.js';
import type { Io } from './apply.js';
import { UsageError } from './args.js';

const usage = `skiff — a small Kubernetes-style control plane

Usage: skiff <command> [flags]

Commands:
  up                 run the control plane in the foreground (skiff up --help)
  agent              run one more node against a running control plane (skiff agent --help)
  apply -f FILE      create or update objects from a file, directory or - (stdin)
  get KIND [NAME]    list or show objects (-n NS, -A, -l SELECTOR, -o yaml|json|wide|name, -w)
  delete -f FILE     delete the objects in a file (or: skiff delete KIND NAME...)
  status             a one-screen summary of nodes, pods, services, routes and autoscalers
  explain hpa NAME   why an HPA chose its replicas (-n NS); explain nodes: the cluster autoscaler's view
  ingress            run the ingress controller alone against $KUBECONFIG (skiff ingress --help)
  load URL           HTTP load with a live view of latency and scaling (skiff load --help)
  version            print skiff's version

Client commands read $KUBECONFIG, else ./.skiff/kubeconfig.`;

const io: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  stdin: () => readFileSync(0, 'utf8'),
};

async function clientFromEnv(): Promise<KubeClient> {
  const path = process.env.KUBECONFIG?.split(':')[0] || './.skiff/kubeconfig';
  const { KubeClient } = await import('../client/index.js');
  try {
    return await KubeClient.fromKubeconfig(path);
  } catch (e) {
    throw new UsageError(`cannot read kubeconfig ${path}: ${e instanceof Error ? e.message : String(e)} (is skiff up running? set KUBECONFIG)`);
  }
}

async function run(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const stop = new AbortController();
  const onInt = (): void => stop.abort();
  switch (cmd) {
    case 'up':
      return (await import('./up.js')).up(rest);
    case 'agent':
      return (await import('./agent.js')).agent(rest);
    case 'apply':
      return (await import('./apply.js')).apply(await clientFromEnv(), rest, io);
    case 'ingress':
      await (await import('../../ingress/index.js')).runIngress(rest);
      return 0;
    case 'load':
      return (await import('./load/index.js')).load(rest, io.out);
    case 'plan':
      return (await import('./plan.js')).plan(await clientFromEnv(), rest, io, process.env.KUBECONFIG?.split(':')[0] || './.skiff/kubeconfig');
    case 'delete':
      return (await import('./apply.js')).del(await clientFromEnv(), rest, io);
    case 'status':
      return (await import('./status.js')).status(await clientFromEnv(), rest, io, stop.signal);
    case 'explain':
      return (await import('./explain.js')).explain(await clientFromEnv(), rest, io, stop.signal);
    case 'get':
      process.once('SIGINT', onInt);
      try {
        const { get } = await import('./get.js');
        return await get(await clientFromEnv(), rest, io, stop.signal);
      } finally {
        process.off('SIGINT', onInt);
      }
    case 'version':
      io.out(`skiff version ${packageVersion()}\nNode.js ${process.version}`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(usage);
      return cmd === undefined ? 1 : 0;
    default:
      throw new UsageError(`unknown command "${cmd}"; run skiff --help`);
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}`);
      return 1;
    }
    const { ApiError } = await import('../api/index.js');
    if (e instanceof ApiError) {
      io.err(`Error from server (${e.reason}): ${e.message}`);
      return 1;
    }
    if ((e as { name?: string }).name === 'AbortError') return 0;
    io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
