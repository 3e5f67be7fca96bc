/** `skiff plan`: prints the cloud changes the current objects would cause, without making them. */
import { dirname } from 'node:path';
import type { KubeClient } from '../client/index.js';
import { planAll } from '../cloud/index.js';
import { createLogger, systemClock } from '../util/index.js';
import type { Io } from './apply.js';
import { parse } from './args.js';
import { closeProvider, formatPlan, openProvider } from './components/cloud.js';

export const planUsage = `Usage: skiff plan [flags]

Prints the cloud changes (load balancers, listeners, targets) that the current Services would cause,
without making them. Reads $KUBECONFIG like the other client commands.

Flags:
  --provider NAME      cloud provider: fake (default) or a path to a plug-in module
  --cloud-config FILE  the provider's YAML configuration
  --data-dir DIR       skiff's data directory, where the fake cloud keeps its state (default: the kubeconfig's directory)`;

const options = {
  provider: { type: 'string' },
  'cloud-config': { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `skiff plan`; `kubeconfigPath` locates the default data directory. */
export async function plan(client: KubeClient, argv: string[], io: Io, kubeconfigPath: string): Promise<number> {
  const { values } = parse(argv, options, false);
  if (values.help) {
    io.out(planUsage);
    return 0;
  }
  const provider = await openProvider({
    name: values.provider ?? 'fake',
    cloudConfigPath: values['cloud-config'],
    dataDir: values['data-dir'] ?? dirname(kubeconfigPath),
    // A view of the cloud the running skiff owns: the fake loads its state without binding or saving.
    defaults: { readOnly: true },
    log: createLogger({ level: 'error', format: 'text' }),
    clock: systemClock,
  });
  try {
    for (const line of formatPlan(await planAll({ client, provider }))) io.out(line);
  } finally {
    await closeProvider(provider);
  }
  return 0;
}
