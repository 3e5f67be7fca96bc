/**
 * Fake-cloud state on disk (`<dataDir>/fake-cloud.json`), so a restarted `skiff up` finds the balancers,
 * volumes and instances it created — and re-opens the balancers' listeners — instead of leaking them.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Logger } from '../../core/util/index.js';
import type { FakeCloud, InstanceRecord, VolumeRecord } from './cloud.js';
import { LbRecord } from './lb-model.js';
import type { ListenerSpec, Scheme } from './lb-model.js';

interface SavedLb { name: string; tags: Record<string, string>; scheme: Scheme; ip: string; listeners: ListenerSpec[]; targets: string[] }

interface Saved {
  loadBalancers: SavedLb[];
  volumes: VolumeRecord[];
  instances: InstanceRecord[];
  targetSizes: [string, number][];
}

function snapshot(cloud: FakeCloud): Saved {
  return {
    loadBalancers: [...cloud.loadBalancers.values()].map((lb) => ({ name: lb.name, tags: lb.tags, scheme: lb.scheme, ip: lb.ip, listeners: lb.desired().listeners, targets: lb.targets })),
    volumes: [...cloud.volumes.values()],
    instances: [...cloud.instances.values()],
    targetSizes: [...cloud.targetSizes.entries()],
  };
}

/** Writes the state atomically (temp file + rename). */
export async function saveCloud(cloud: FakeCloud, path: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(snapshot(cloud)));
  await rename(tmp, path);
}

/** Loads saved state into `cloud`; a listener that cannot be re-opened is dropped (the next `ensure` re-creates it). */
export async function loadCloud(cloud: FakeCloud, path: string, log: Logger, opts: { readOnly?: boolean } = {}): Promise<void> {
  let saved: Saved;
  try {
    saved = JSON.parse(await readFile(path, 'utf8')) as Saved;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') log.warn('fake cloud state unreadable, starting empty', { path, error: (e as Error).message });
    return;
  }
  for (const v of saved.volumes ?? []) cloud.volumes.set(v.id, v);
  for (const i of saved.instances ?? []) cloud.instances.set(i.name, i);
  for (const [g, n] of saved.targetSizes ?? []) cloud.targetSizes.set(g, n);
  for (const s of saved.loadBalancers ?? []) {
    const lb = new LbRecord(s.name, s.tags, s.scheme, s.ip);
    lb.targets = s.targets;
    cloud.loadBalancers.set(s.name, lb);
    for (const l of s.listeners) {
      if (opts.readOnly) {
        lb.recordListener(l);
        continue;
      }
      await lb.addListener(l).catch((e: unknown) => log.warn('fake listener not restored', { lb: s.name, port: l.port, error: (e as Error).message }));
    }
  }
}
