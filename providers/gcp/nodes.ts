/** Finds the instance behind a Node (providerID first, then its name in each configured zone). */
import type { Node } from '../../core/api/index.js';
import type { Gce } from './cloud.js';
import { parseProviderID } from './mapping.js';
import type { Resource } from './sdk.js';

export async function findInstance(gce: Gce, zones: readonly string[], node: Node | string, signal: AbortSignal): Promise<Resource | undefined> {
  const name = typeof node === 'string' ? node : node.metadata.name ?? '';
  const id = typeof node === 'string' ? undefined : parseProviderID(node.spec?.providerID);
  const candidates = id ? [{ zone: id.zone, name: id.name }] : zones.map((zone) => ({ zone, name }));
  for (const c of candidates) {
    const r = await gce.get({ scope: { zone: c.zone }, collection: 'instances', name: c.name }, signal);
    if (r) return r;
  }
  return undefined;
}
