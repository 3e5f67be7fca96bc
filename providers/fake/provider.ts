/** The fake provider: `createFakeProvider` over a (possibly shared) `FakeCloud`, and the registry factory. */
import type { Capabilities, CloudProvider, ProviderFactory, ProviderOptions } from '../../core/cloud/index.js';
import type { NodeGroup } from '../../core/api/index.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeCloud } from './cloud.js';
import { loadCloud, saveCloud } from './persist.js';
import type { CallLogEntry } from './cloud.js';
import type { FaultRule } from './faults.js';
import { parseFaultRules } from './faults.js';
import { FakeInstances } from './instances.js';
import { FakeLoadBalancers, LB_NAME_MAX } from './loadbalancers.js';
import { FakeNodeGroups, parseNodeGroups } from './nodegroups.js';
import type { NodeLauncher } from './nodegroups.js';
import { FAKE_VOLUME_MAX_BYTES, FAKE_VOLUME_TYPE, FakeVolumes } from './volumes.js';

export const FAKE_PROVISIONER = 'skiff.dev/fake';

export const fakeCapabilities: Capabilities = {
  instances: { shutdownDetection: true },
  loadBalancers: { protocols: ['TCP'], internal: true, sourceRanges: false, staticIP: false, maxNameLength: LB_NAME_MAX, classes: ['skiff.dev/fake'] },
  volumes: {
    provisioner: FAKE_PROVISIONER, defaultType: FAKE_VOLUME_TYPE, maxAttachmentsPerNode: 128,
    types: [{ type: FAKE_VOLUME_TYPE, minBytes: 1, maxBytes: FAKE_VOLUME_MAX_BYTES, multiAttach: true }],
  },
  nodeGroups: { discovery: true, deleteSpecificNodes: true },
};

/** What the fake needs beyond `ProviderOptions`; the integrator supplies these when registering it. */
export interface FakeExtras {
  /** Share a cloud between provider instances (a restart); a new one per provider when absent. */
  cloud?: FakeCloud;
  launcher?: NodeLauncher;
  nodeGroupObjects?: () => readonly NodeGroup[];
  /** Randomness for address allocation (tests). */
  random?: () => number;
}

export interface FakeProvider extends CloudProvider {
  /** The cloud behind it: call log (`calls()`), fault injection (`inject`), `reset()`, instance state. */
  readonly cloud: FakeCloud;
  /** Shorthands for `cloud.calls()`, `cloud.inject(rule)` and `cloud.reset()`. */
  calls(): CallLogEntry[];
  inject(rule: FaultRule): void;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates the fake provider. Cloud-config keys: `faults:` (list of FaultRule), `nodeGroups:` (list of
 * `{name, min, max, template: {cpu, memory, labels, taints}, bootDelaySeconds}`), `addressPrefix:`.
 */
export function createFakeProvider(opts: ProviderOptions, extras: FakeExtras = {}): FakeProvider {
  const cloud = extras.cloud ?? new FakeCloud({ clock: opts.clock });
  for (const f of parseFaultRules(opts.cloudConfig.faults)) cloud.inject(f);
  const stop = new AbortController();
  const prefix = typeof opts.cloudConfig.addressPrefix === 'string' ? opts.cloudConfig.addressPrefix : undefined;
  const nodeGroups = new FakeNodeGroups({
    cloud, config: parseNodeGroups(opts.cloudConfig.nodeGroups), log: opts.log.child({ provider: 'fake' }), signal: stop.signal,
    ...(extras.launcher ? { launcher: extras.launcher } : {}), ...(extras.nodeGroupObjects ? { objects: extras.nodeGroupObjects } : {}),
  });
  return {
    name: 'fake',
    capabilities: fakeCapabilities,
    cloud,
    calls: () => cloud.calls(),
    inject: (rule) => cloud.inject(rule),
    reset: () => cloud.reset(),
    instances: new FakeInstances(cloud),
    loadBalancers: new FakeLoadBalancers({ cloud, clusterName: opts.clusterName, ...(prefix ? { addressPrefix: prefix } : {}), ...(extras.random ? { random: extras.random } : {}) }),
    volumes: new FakeVolumes({ cloud, clusterName: opts.clusterName, dataDir: opts.dataDir }),
    nodeGroups,
    close: async () => {
      stop.abort();
    },
  };
}

/**
 * A registry factory: `registry.register('fake', fakeProviderFactory({ launcher }))`. Without a shared
 * `cloud`, the state is kept in `<dataDir>/fake-cloud.json` (cloud-config `persist: false` turns that off),
 * so a restart adopts the balancers and volumes it made. Cloud-config `readOnly: true` loads that state
 * without binding its listeners and never saves: a view for `skiff plan` beside a running skiff.
 */
export function fakeProviderFactory(extras: FakeExtras = {}): ProviderFactory {
  return async (opts) => {
    if (extras.cloud || opts.cloudConfig.persist === false) return createFakeProvider(opts, extras);
    const path = join(opts.dataDir, 'fake-cloud.json');
    await mkdir(opts.dataDir, { recursive: true });
    let save: Promise<void> = Promise.resolve();
    const readOnly = opts.cloudConfig.readOnly === true;
    const cloud: FakeCloud = new FakeCloud({
      clock: opts.clock,
      onChange: () => readOnly ? Promise.resolve() : (save = save.then(() => saveCloud(cloud, path)).catch((e: unknown) => opts.log.warn('fake cloud state not saved', { error: (e as Error).message }))),
    });
    await loadCloud(cloud, path, opts.log, { readOnly });
    return createFakeProvider(opts, { ...extras, cloud });
  };
}
