import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { ATTACHED_NODES_ANNOTATION } from '../../../core/cloud/index.js';
import { fakeStorageClasses } from '../../../providers/fake/index.js';
import { createObject, putNode, startEnv, until } from './support.js';

const claims = '/api/v1/namespaces/default/persistentvolumeclaims';
const classes = '/apis/storage.k8s.io/v1/storageclasses';

function claim(name: string, storageClassName?: string): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(storageClassName ? { storageClassName } : {}) },
  };
}

function pod(name: string, claimName: string, nodeName: string): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { nodeName, containers: [{ name: 'c', image: 'sleep' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
  };
}

test('volume controller: provisions from the default class, binds, attaches for a pod, detaches and deletes', async () => {
  const env = await startEnv();
  const { h, fake } = env;
  try {
    await putNode(h, 'n1');
    for (const sc of fakeStorageClasses()) await createObject(h, classes, sc);
    await createObject(h, claims, claim('data'));

    const bound = await until('claim bound', async () => {
      const c = (await h.req('GET', `${claims}/data`)).body;
      return c?.status?.phase === 'Bound' ? c : undefined;
    });
    const pvName = bound.spec.volumeName as string;
    assert.equal(pvName, `pvc-${bound.metadata.uid as string}`);
    const pv = (await h.req('GET', `/api/v1/persistentvolumes/${pvName}`)).body;
    assert.equal(pv.status.phase, 'Bound');
    assert.equal(pv.spec.claimRef.uid, bound.metadata.uid);
    assert.equal(pv.spec.csi.driver, 'skiff.dev/fake');
    assert.equal(pv.spec.storageClassName, 'fake');
    const dir = pv.spec.csi.volumeAttributes.path as string;
    assert.ok(dir.startsWith(`${env.dataDir}/volumes/`) && existsSync(dir), 'the volume is a directory under <dataDir>/volumes');
    assert.equal(fake.cloud.volumes.size, 1);

    await createObject(h, '/api/v1/namespaces/default/pods', pod('user', 'data', 'n1'));
    await until('attached', async () => (await h.req('GET', `/api/v1/persistentvolumes/${pvName}`)).body?.metadata?.annotations?.[ATTACHED_NODES_ANNOTATION] === 'n1');
    const vol = [...fake.cloud.volumes.values()][0];
    assert.deepEqual(vol?.attachedTo, ['n1'], 'attached in the cloud before the annotation says so');

    const del = await h.req('DELETE', '/api/v1/namespaces/default/pods/user?gracePeriodSeconds=0');
    assert.ok(del.status === 200 || del.status === 202, del.text);
    await until('pod gone', async () => (await h.req('GET', '/api/v1/namespaces/default/pods/user')).status === 404);
    await until('detached', async () => (await h.req('GET', `/api/v1/persistentvolumes/${pvName}`)).body?.metadata?.annotations?.[ATTACHED_NODES_ANNOTATION] === undefined);
    assert.deepEqual(vol?.attachedTo, []);

    assert.equal((await h.req('DELETE', `${claims}/data`)).status, 200);
    await until('pv deleted', async () => (await h.req('GET', `/api/v1/persistentvolumes/${pvName}`)).status === 404);
    assert.equal(fake.cloud.volumes.size, 0);
    assert.equal(existsSync(dir), false);
  } finally {
    await env.close();
  }
});

test('volume controller: Retain releases the PV and keeps the volume; other provisioners are ignored', async () => {
  const env = await startEnv();
  const { h, fake } = env;
  try {
    await createObject(h, classes, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'keep' }, provisioner: 'skiff.dev/fake', reclaimPolicy: 'Retain' });
    await createObject(h, classes, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'other' }, provisioner: 'example.com/other' });
    await createObject(h, claims, claim('kept', 'keep'));
    await createObject(h, claims, claim('foreign', 'other'));
    const bound = await until('bound', async () => {
      const c = (await h.req('GET', `${claims}/kept`)).body;
      return c?.status?.phase === 'Bound' ? c : undefined;
    });
    assert.equal((await h.req('DELETE', `${claims}/kept`)).status, 200);
    await until('released', async () => (await h.req('GET', `/api/v1/persistentvolumes/${bound.spec.volumeName as string}`)).body?.status?.phase === 'Released');
    assert.equal(fake.cloud.volumes.size, 1, 'a retained volume stays');
    const foreign = (await h.req('GET', `${claims}/foreign`)).body;
    assert.notEqual(foreign.status?.phase, 'Bound');
    assert.equal(foreign.spec.volumeName, undefined);
  } finally {
    await env.close();
  }
});
