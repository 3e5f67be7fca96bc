/** PersistentVolume, PersistentVolumeClaim and StorageClass validation. */
import type { FieldError } from '../errors.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../kinds/core.js';
import type { StorageClass } from '../kinds/other.js';
import type { KubeObject } from '../meta.js';
import { deepEqual } from '../helpers.js';
import { compareQuantities } from '../quantity.js';
import { forbidden, fromMessages, invalid, notSupported, oneOf, required } from './field.js';
import { isValidPathSegmentName, validateLabelSelector, validateObjectMeta } from './meta.js';
import { isDNS1123Subdomain, isQualifiedName } from './names.js';
import { checkQuantity, validateResourceList } from './resources.js';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const PV_NON_SOURCE_FIELDS = new Set(['capacity', 'accessModes', 'claimRef', 'persistentVolumeReclaimPolicy', 'storageClassName', 'mountOptions', 'volumeMode', 'nodeAffinity', 'volumeAttributesClassName']);

function validateAccessModes(modes: string[] | undefined, path: string): FieldError[] {
  if (!modes || modes.length === 0) return [required(path, 'at least 1 access mode is required')];
  const errs = modes.filter((m) => !ACCESS_MODES.includes(m)).map((m) => notSupported(path, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

export function validatePV(obj: KubeObject): FieldError[] {
  const pv = obj as PersistentVolume;
  const errs = validateObjectMeta(pv.metadata, { namespaced: false, nameValidator: isValidPathSegmentName });
  const spec = pv.spec ?? {};
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes'));
  const storage = spec.capacity?.storage;
  if (!spec.capacity || Object.keys(spec.capacity).length === 0) errs.push(required('spec.capacity'));
  else if (storage === undefined) errs.push(notSupported('spec.capacity', Object.keys(spec.capacity)[0] ?? '', ['storage']));
  errs.push(...validateResourceList(spec.capacity, 'spec.capacity', false));
  errs.push(...oneOf('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, ['Delete', 'Recycle', 'Retain']));
  errs.push(...oneOf('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (spec.storageClassName) errs.push(...fromMessages('spec.storageClassName', spec.storageClassName, isDNS1123Subdomain(spec.storageClassName)));
  const sources = Object.keys(spec).filter((k) => !PV_NON_SOURCE_FIELDS.has(k) && (spec as Record<string, unknown>)[k] !== undefined);
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  else if (sources.length > 1) errs.push(forbidden(`spec.${sources[1] ?? ''}`, 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(required('spec.hostPath.path'));
  if (spec.local && !spec.local.path) errs.push(required('spec.local.path'));
  if (spec.local && !spec.nodeAffinity) errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  return errs;
}

export function validatePVC(obj: KubeObject, old?: KubeObject): FieldError[] {
  const pvc = obj as PersistentVolumeClaim;
  const errs = validateObjectMeta(pvc.metadata, { namespaced: true });
  const spec = pvc.spec ?? {};
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes'));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errs.push(required('spec.resources[storage]'));
  else {
    const qe = checkQuantity('spec.resources.requests[storage]', storage);
    errs.push(...qe);
    if (qe.length === 0 && compareQuantities(storage, 0) <= 0) errs.push(invalid('spec.resources.requests[storage]', storage, 'must be greater than zero'));
  }
  errs.push(...validateResourceList(spec.resources?.limits, 'spec.resources.limits', false));
  errs.push(...oneOf('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (spec.storageClassName) errs.push(...fromMessages('spec.storageClassName', spec.storageClassName, isDNS1123Subdomain(spec.storageClassName)));
  const prev = (old as PersistentVolumeClaim | undefined)?.spec;
  if (prev) {
    const strip = (s: typeof spec): Record<string, unknown> => ({ ...s, resources: undefined, volumeName: undefined, storageClassName: undefined, volumeAttributesClassName: undefined });
    if (!deepEqual(strip(spec), strip(prev))) errs.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
    if (prev.storageClassName && spec.storageClassName !== prev.storageClassName) errs.push(forbidden('spec.storageClassName', 'field is immutable'));
  }
  return errs;
}

export function validateStorageClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const sc = obj as StorageClass;
  const errs = validateObjectMeta(sc.metadata, { namespaced: false });
  if (!sc.provisioner) errs.push(required('provisioner'));
  else errs.push(...fromMessages('provisioner', sc.provisioner, isQualifiedName(sc.provisioner.toLowerCase())));
  errs.push(...oneOf('reclaimPolicy', sc.reclaimPolicy, ['Delete', 'Retain']));
  errs.push(...oneOf('volumeBindingMode', sc.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  const prev = old as StorageClass | undefined;
  if (prev) {
    if (prev.provisioner !== sc.provisioner) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (!deepEqual(prev.parameters ?? {}, sc.parameters ?? {})) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    if ((prev.reclaimPolicy ?? 'Delete') !== (sc.reclaimPolicy ?? 'Delete')) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if ((prev.volumeBindingMode ?? 'Immediate') !== (sc.volumeBindingMode ?? 'Immediate')) errs.push(forbidden('volumeBindingMode', 'field is immutable'));
  }
  return errs;
}
