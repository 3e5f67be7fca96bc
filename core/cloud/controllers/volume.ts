/**
 * Volume controller: provisions a PersistentVolume for each claim whose StorageClass names this provider's
 * provisioner, binds the pair, attaches the volume to every node a pod using the claim is scheduled on
 * (then records it in the PV annotation `skiff.dev/attached-node`), detaches when no pod there uses it,
 * and reclaims per policy. The PV carries the volume as `spec.csi` (`driver` = provisioner, `volumeHandle` =
 * cloud volume id, `volumeAttributes.path` = host directory when the provider has one).
 */
import { isAlreadyExists, isNotFound } from '../../api/index.js';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../api/index.js';
import type { Controller, ControllerRunner, Informer, ReconcileResult } from '../../client/index.js';
import { claimVolumeKey, ownerTags } from '../tags.js';
import type { VolumeInfo, Volumes } from '../types.js';
import { makeRunner, podsTarget, pvcsTarget, pvsTarget, storageClassesTarget } from './context.js';
import type { CloudControllerContext } from './context.js';
import { ATTACHED_NODES_ANNOTATION, PROVISIONED_BY_ANNOTATION, attachedNodes, claimGone, classForClaim, nodesUsingClaim, pvNameForClaim, requestedBytes } from './volume-decide.js';

export class VolumeController implements Controller {
  readonly name = 'cloud-volume';
  private readonly pvs: Informer<PersistentVolume>;
  private readonly pvcs: Informer<PersistentVolumeClaim>;
  private readonly pods: Informer<Pod>;
  private readonly classes: Informer<StorageClass>;
  private readonly runner: ControllerRunner;
  private readonly provisioner: string;

  constructor(private readonly ctx: CloudControllerContext, private readonly volumes: Volumes) {
    this.pvs = ctx.informers.informerFor<PersistentVolume>(pvsTarget);
    this.pvcs = ctx.informers.informerFor<PersistentVolumeClaim>(pvcsTarget);
    this.pods = ctx.informers.informerFor<Pod>(podsTarget);
    this.classes = ctx.informers.informerFor<StorageClass>(storageClassesTarget);
    this.provisioner = ctx.provider.capabilities.volumes?.provisioner ?? ctx.provider.name;
    this.runner = makeRunner(ctx, this.name, (key, signal) => this.reconcile(key, signal));
  }

  async start(signal: AbortSignal): Promise<void> {
    const claim = (c: PersistentVolumeClaim): void => {
      this.runner.enqueue(`claim:${c.metadata.namespace ?? ''}/${c.metadata.name ?? ''}`);
      if (c.spec?.volumeName) this.runner.enqueue(`pv:${c.spec.volumeName}`);
    };
    const pv = (v: PersistentVolume): void => this.runner.enqueue(`pv:${v.metadata.name ?? ''}`);
    const pod = (p: Pod): void => {
      for (const v of p.spec.volumes ?? []) {
        const c = v.persistentVolumeClaim && this.pvcs.get(`${p.metadata.namespace ?? ''}/${v.persistentVolumeClaim.claimName}`);
        if (c && c.spec?.volumeName) this.runner.enqueue(`pv:${c.spec.volumeName}`);
      }
    };
    const allClaims = (): void => this.pvcs.list().forEach(claim);
    const removers = [
      this.pvcs.addHandlers({ onAdd: claim, onUpdate: (_a, b) => claim(b), onDelete: claim }),
      this.pvs.addHandlers({ onAdd: pv, onUpdate: (_a, b) => pv(b), onDelete: pv }),
      this.pods.addHandlers({ onAdd: pod, onUpdate: (_a, b) => pod(b), onDelete: pod }),
      this.classes.addHandlers({ onAdd: allClaims, onUpdate: allClaims }),
    ];
    try {
      await this.runner.run(signal);
    } finally {
      removers.forEach((r) => r());
    }
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    try {
      if (key.startsWith('claim:')) await this.reconcileClaim(key.slice(6), signal);
      else if (key.startsWith('pv:')) await this.reconcileVolume(key.slice(3), signal);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
  }

  private async reconcileClaim(key: string, signal: AbortSignal): Promise<void> {
    const pvc = this.pvcs.get(key);
    if (!pvc || pvc.metadata.deletionTimestamp || pvc.status?.phase === 'Bound') return;
    const ns = pvc.metadata.namespace ?? '';
    const name = pvc.metadata.name ?? '';
    if (pvc.spec?.volumeName) {
      const bound = this.pvs.get(pvc.spec.volumeName);
      if (bound && bound.spec?.claimRef?.uid === pvc.metadata.uid) await this.markClaimBound(pvc, bound, signal);
      return;
    }
    const cls = classForClaim(pvc, this.classes.list());
    if (!cls || cls.provisioner !== this.provisioner) return;
    const vol = await this.volumes.create({
      key: claimVolumeKey(pvc), sizeBytes: requestedBytes(pvc), tags: ownerTags(this.ctx.clusterName ?? 'skiff', pvc),
      ...(cls.parameters?.type ? { type: cls.parameters.type } : {}), ...(cls.parameters ? { parameters: cls.parameters } : {}),
    }, signal);
    const pv = await this.createVolumeObject(pvc, cls, vol, signal);
    await this.ctx.client.patch(pvcsTarget, ns, name, { spec: { volumeName: pv.metadata.name } }, 'merge', { signal });
    await this.markClaimBound(pvc, pv, signal);
    this.ctx.recorder.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata.name ?? ''}`);
  }

  private async createVolumeObject(pvc: PersistentVolumeClaim, cls: StorageClass, vol: VolumeInfo, signal: AbortSignal): Promise<PersistentVolume> {
    const pv: PersistentVolume = {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: pvNameForClaim(pvc), annotations: { [PROVISIONED_BY_ANNOTATION]: this.provisioner } },
      spec: {
        capacity: { storage: String(vol.sizeBytes) },
        accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
        storageClassName: cls.metadata.name ?? '',
        claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: pvc.metadata.namespace ?? '', name: pvc.metadata.name ?? '', uid: pvc.metadata.uid ?? '' },
        csi: { driver: this.provisioner, volumeHandle: vol.id, volumeAttributes: vol.path ? { path: vol.path } : {} },
      },
    };
    let created: PersistentVolume;
    try {
      created = await this.ctx.client.create(pvsTarget, pv, { signal });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      created = await this.ctx.client.get<PersistentVolume>(pvsTarget, undefined, pv.metadata.name ?? '', { signal });
    }
    if (created.status?.phase !== 'Bound') {
      created = await this.ctx.client.patch<PersistentVolume>(pvsTarget, undefined, created.metadata.name ?? '', { status: { phase: 'Bound' } }, 'merge', { subresource: 'status', signal });
    }
    return created;
  }

  private async markClaimBound(pvc: PersistentVolumeClaim, pv: PersistentVolume, signal: AbortSignal): Promise<void> {
    await this.ctx.client.patch(pvcsTarget, pvc.metadata.namespace, pvc.metadata.name ?? '', {
      status: { phase: 'Bound', capacity: pv.spec?.capacity ?? {}, accessModes: pv.spec?.accessModes ?? [] },
    }, 'merge', { subresource: 'status', signal });
  }

  private async reconcileVolume(name: string, signal: AbortSignal): Promise<void> {
    const pv = this.pvs.get(name);
    const csi = pv?.spec?.csi;
    if (!pv || !csi || csi.driver !== this.provisioner || pv.metadata.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    const pvc = ref ? this.pvcs.get(`${ref.namespace ?? ''}/${ref.name ?? ''}`) : undefined;
    const current = attachedNodes(pv);
    if (claimGone(pv, pvc)) return this.reclaim(pv, csi.volumeHandle, current, signal);
    const desired = ref ? nodesUsingClaim(this.pods.list(), ref.namespace ?? '', ref.name ?? '') : [];
    for (const n of desired.filter((d) => !current.includes(d))) await this.volumes.attach(csi.volumeHandle, n, signal);
    for (const n of current.filter((c) => !desired.includes(c))) await this.volumes.detach(csi.volumeHandle, n, signal);
    if (desired.join(',') !== current.join(',')) await this.setAttached(pv, desired, signal);
  }

  private async reclaim(pv: PersistentVolume, id: string, attached: readonly string[], signal: AbortSignal): Promise<void> {
    for (const n of attached) await this.volumes.detach(id, n, signal);
    if (attached.length > 0) await this.setAttached(pv, [], signal);
    if ((pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete') === 'Delete') {
      await this.volumes.delete(id, signal);
      await this.ctx.client.delete(pvsTarget, undefined, pv.metadata.name ?? '', { signal });
      this.ctx.log.info('volume deleted', { pv: pv.metadata.name, volume: id });
    } else if (pv.status?.phase !== 'Released') {
      await this.ctx.client.patch(pvsTarget, undefined, pv.metadata.name ?? '', { status: { phase: 'Released' } }, 'merge', { subresource: 'status', signal });
    }
  }

  private async setAttached(pv: PersistentVolume, nodes: readonly string[], signal: AbortSignal): Promise<void> {
    await this.ctx.client.patch(pvsTarget, undefined, pv.metadata.name ?? '', {
      metadata: { annotations: { [ATTACHED_NODES_ANNOTATION]: nodes.length ? nodes.join(',') : null } },
    }, 'merge', { signal });
  }
}
