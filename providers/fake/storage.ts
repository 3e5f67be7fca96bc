/** The StorageClass objects the fake provider wants installed: `fake`, the default class. */
import type { StorageClass } from '../../core/api/index.js';
import { FAKE_PROVISIONER } from './provider.js';

export function fakeStorageClasses(): StorageClass[] {
  return [{
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'fake', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: FAKE_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  }];
}
