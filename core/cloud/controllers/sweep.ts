/**
 * Ownership sweep: periodically deletes cloud resources tagged for this cluster whose owner object (by UID)
 * no longer exists — what a lost finalizer or a crash between create and record would otherwise leak.
 */
import type { KubeObject, PersistentVolume, PersistentVolumeClaim, Service } from '../../api/index.js';
import type { Controller, Informer } from '../../client/index.js';
import { TAG_OWNER_REF, TAG_OWNER_UID, ownedBy } from '../tags.js';
import type { LoadBalancers, Volumes } from '../types.js';
import { pvcsTarget, pvsTarget, servicesTarget } from './context.js';
import type { CloudControllerContext } from './context.js';
import { hasFinalizer, wantsLoadBalancer } from './service-decide.js';

export interface SweepOptions {
  /** Default 5 minutes. */
  periodMs?: number;
}

/** A stand-in owner built from a resource's tags, enough for `ensureDeleted` (which finds by UID). */
function ownerStub(tags: Readonly<Record<string, string>>): Service {
  const [kind = 'Service', namespace = '', name = ''] = (tags[TAG_OWNER_REF] ?? '').split('/');
  return { apiVersion: 'v1', kind, metadata: { uid: tags[TAG_OWNER_UID] ?? '', namespace, name } };
}

export class OwnershipSweep implements Controller {
  readonly name = 'cloud-ownership-sweep';
  private readonly services: Informer<Service>;
  private readonly pvcs: Informer<PersistentVolumeClaim>;
  private readonly pvs: Informer<PersistentVolume>;
  private readonly period: number;

  constructor(private readonly ctx: CloudControllerContext, private readonly lbs: LoadBalancers | undefined, private readonly volumes: Volumes | undefined, opts: SweepOptions = {}) {
    this.services = ctx.informers.informerFor<Service>(servicesTarget);
    this.pvcs = ctx.informers.informerFor<PersistentVolumeClaim>(pvcsTarget);
    this.pvs = ctx.informers.informerFor<PersistentVolume>(pvsTarget);
    this.period = opts.periodMs ?? 300_000;
  }

  async start(signal: AbortSignal): Promise<void> {
    await Promise.all([this.services, this.pvcs, this.pvs].map((i) => i.waitForSync(signal))).catch(() => undefined);
    while (!signal.aborted) {
      await this.sweepOnce(signal).catch((e: unknown) => this.ctx.log.warn('ownership sweep failed', { error: (e as Error).message }));
      await this.ctx.clock.sleep(this.period, signal).catch(() => undefined);
    }
  }

  /** One pass; resolves with the names of the resources deleted. */
  async sweepOnce(signal: AbortSignal): Promise<string[]> {
    const cluster = this.ctx.clusterName ?? 'skiff';
    const deleted: string[] = [];
    const classes = this.ctx.provider.capabilities.loadBalancers?.classes ?? [];
    const liveLb = new Set(this.services.list().filter((s) => wantsLoadBalancer(s, classes) || hasFinalizer(s)).map(uidOf));
    for (const lb of this.lbs ? await this.lbs.list(signal) : []) {
      if (!ownedBy(lb.tags, cluster) || liveLb.has(lb.tags[TAG_OWNER_UID] ?? '')) continue;
      if (await this.ownerStillThere(lb.tags, servicesTarget, signal)) continue;
      await this.lbs?.ensureDeleted(ownerStub(lb.tags), signal);
      deleted.push(lb.name);
    }
    const claims = new Set(this.pvcs.list().map(uidOf));
    const handles = new Set(this.pvs.list().map((p) => p.spec?.csi?.volumeHandle ?? ''));
    for (const v of this.volumes ? await this.volumes.list(signal) : []) {
      if (!ownedBy(v.tags, cluster) || claims.has(v.tags[TAG_OWNER_UID] ?? '') || handles.has(v.id)) continue;
      if (await this.ownerStillThere(v.tags, pvcsTarget, signal)) continue;
      for (const n of v.attachedTo) await this.volumes?.detach(v.id, n, signal);
      await this.volumes?.delete(v.id, signal);
      deleted.push(v.id);
    }
    if (deleted.length) this.ctx.log.info('swept orphaned cloud resources', { deleted });
    return deleted;
  }

  /** A fresh read, so a cache that lags behind a just-created owner never costs its resource. */
  private async ownerStillThere(tags: Readonly<Record<string, string>>, target: typeof servicesTarget, signal: AbortSignal): Promise<boolean> {
    const owner = ownerStub(tags);
    if (!owner.metadata.name) return false;
    try {
      const o = await this.ctx.client.get<KubeObject>(target, owner.metadata.namespace, owner.metadata.name, { signal });
      if (o.metadata.uid !== owner.metadata.uid) return false;
      return target !== servicesTarget || wantsLoadBalancer(o as Service, this.ctx.provider.capabilities.loadBalancers?.classes ?? []) || hasFinalizer(o as Service);
    } catch {
      return false;
    }
  }
}

function uidOf(o: KubeObject): string {
  return o.metadata.uid ?? '';
}
