/** test/support/gce-fake: a loopback HTTP fake of the Compute Engine v1 REST API, with seeding helpers. */
export { GceFake, startGceFake } from './server.js';
export type { FaultRule, LoggedRequest } from './server.js';
export { FakeStore, GceError, LINK_BASE } from './store.js';
export type { Resource } from './store.js';
import type { GceFake } from './server.js';
import { LINK_BASE } from './store.js';

export interface SeedInstance {
  project: string;
  zone: string;
  name: string;
  status?: string;
  machineType?: string;
  internalIp?: string;
  externalIp?: string;
  labels?: Record<string, string>;
  tags?: string[];
}

/** Puts an instance straight into the fake's state (no operation). */
export function seedInstance(fake: GceFake, i: SeedInstance): void {
  const scope = `projects/${i.project}/zones/${i.zone}`;
  fake.store.put(`${scope}/instances/${i.name}`, {
    kind: 'compute#instance', name: i.name, status: i.status ?? 'RUNNING', zone: LINK_BASE + scope,
    machineType: `${LINK_BASE}${scope}/machineTypes/${i.machineType ?? 'e2-standard-2'}`,
    labels: i.labels ?? {},
    tags: { items: i.tags ?? [] },
    networkInterfaces: [{
      networkIP: i.internalIp ?? fake.store.nextIp('10.128.0'),
      ...(i.externalIp ? { accessConfigs: [{ type: 'ONE_TO_ONE_NAT', natIP: i.externalIp }] } : {}),
    }],
  });
}

export interface SeedMig {
  project: string;
  zone: string;
  name: string;
  machineType: string;
  targetSize?: number;
  labels?: Record<string, string>;
}

/** An instance template and a managed instance group using it. */
export function seedMig(fake: GceFake, m: SeedMig): void {
  const tpl = `projects/${m.project}/global/instanceTemplates/${m.name}-template`;
  fake.store.put(tpl, { kind: 'compute#instanceTemplate', name: `${m.name}-template`, properties: { machineType: m.machineType, labels: m.labels ?? {} } });
  fake.store.put(`projects/${m.project}/zones/${m.zone}/instanceGroupManagers/${m.name}`, {
    kind: 'compute#instanceGroupManager', name: m.name, baseInstanceName: m.name, zone: `${LINK_BASE}projects/${m.project}/zones/${m.zone}`,
    instanceTemplate: LINK_BASE + tpl, targetSize: 0, description: '',
  });
}
