/** Instance, volume and node-group conformance cases. */
import assert from 'node:assert/strict';
import { isCloudError, ownerTags } from '../../core/cloud/index.js';
import type { CloudErrorCode, NodeGroups, Volumes } from '../../core/cloud/index.js';
import type { Case } from './cases-lb.js';
import { newUid } from './subject.js';

function vols(c: Parameters<Case['run']>[0]): Volumes {
  assert.ok(c.provider.volumes, 'volumes capability');
  return c.provider.volumes;
}

function groups(c: Parameters<Case['run']>[0]): NodeGroups {
  assert.ok(c.provider.nodeGroups, 'nodeGroups capability');
  return c.provider.nodeGroups;
}

const code = (k: CloudErrorCode) => (e: unknown): boolean => isCloudError(e, k);

export const instanceCases: Case[] = [
  {
    name: 'instances: metadata names the provider, and stopped is not deleted',
    async run(c) {
      const ins = c.provider.instances;
      assert.ok(ins);
      const [n] = c.nodes;
      assert.ok(n);
      const meta = await c.call(() => ins.metadata(n, c.signal));
      assert.ok(meta.providerID.startsWith(`${c.provider.name}://`), meta.providerID);
      assert.ok(meta.zone && meta.region && meta.instanceType, 'zone, region and instance type');
      assert.equal(await c.call(() => ins.exists(n, c.signal)), true);
      if (c.subject.stopInstance && c.subject.deleteInstance) {
        c.subject.stopInstance(n.metadata.name ?? '');
        assert.equal(await c.call(() => ins.exists(n, c.signal)), true, 'a stopped instance exists');
        assert.equal(await c.call(() => ins.shutdown(n, c.signal)), true, 'and is shut down');
        c.subject.deleteInstance(n.metadata.name ?? '');
        assert.equal(await c.call(() => ins.exists(n, c.signal)), false, 'a deleted instance does not');
        await assert.rejects(c.call(() => ins.metadata(n, c.signal)), code('NotFound'));
      }
    },
  },
];

export const volumeCases: Case[] = [
  {
    name: 'volumes: create is idempotent by key',
    async run(c) {
      const uid = newUid();
      const key = `pvc-${uid}`;
      const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'conformance', uid } };
      const spec = { key, sizeBytes: 1024 ** 3, tags: ownerTags(c.subject.clusterName ?? 'skiff', claim) };
      const a = await c.call(() => vols(c).create(spec, c.signal));
      const b = await c.call(() => vols(c).create(spec, c.signal));
      assert.equal(a.id, b.id);
      assert.equal((await c.call(() => vols(c).list(c.signal))).filter((v) => v.key === key).length, 1);
      await c.call(() => vols(c).delete(a.id, c.signal));
    },
  },
  {
    name: 'volumes: attach before use, detach before delete',
    async run(c) {
      const v = await c.call(() => vols(c).create({ key: `pvc-${newUid()}`, sizeBytes: 1024 ** 2, tags: {} }, c.signal));
      await c.call(() => vols(c).attach(v.id, 'node-a', c.signal));
      await c.call(() => vols(c).attach(v.id, 'node-a', c.signal));
      assert.deepEqual((await c.call(() => vols(c).describe(v.id, c.signal))).attachedTo, ['node-a']);
      await assert.rejects(c.call(() => vols(c).delete(v.id, c.signal)), code('Conflict'));
      await c.call(() => vols(c).detach(v.id, 'node-a', c.signal));
      await c.call(() => vols(c).detach(v.id, 'node-a', c.signal));
      await c.call(() => vols(c).delete(v.id, c.signal));
      await c.call(() => vols(c).delete(v.id, c.signal));
      await assert.rejects(c.call(() => vols(c).describe(v.id, c.signal)), code('NotFound'));
      await assert.rejects(c.call(() => vols(c).attach(v.id, 'node-a', c.signal)), code('NotFound'));
    },
  },
];

export const nodeGroupCases: Case[] = [
  {
    name: 'node groups: min and max are respected',
    async run(c) {
      const [g] = await c.call(() => groups(c).list(c.signal));
      assert.ok(g, 'at least one node group (give the subject one)');
      assert.ok(g.min <= g.targetSize && g.targetSize <= g.max, 'target within bounds');
      await assert.rejects(c.call(() => groups(c).increase(g.name, g.max - g.targetSize + 1, c.signal)), code('InvalidArgument'));
      await assert.rejects(c.call(() => groups(c).increase('no-such-group', 1, c.signal)), code('NotFound'));
      if (g.max > g.targetSize) {
        await c.call(() => groups(c).increase(g.name, 1, c.signal));
        const after = (await c.call(() => groups(c).list(c.signal))).find((x) => x.name === g.name);
        assert.equal(after?.targetSize, g.targetSize + 1);
      }
      const now = (await c.call(() => groups(c).list(c.signal))).find((x) => x.name === g.name);
      assert.ok(now);
      const names = now.instances.map((i) => i.name);
      if (names.length > now.targetSize - now.min) {
        await assert.rejects(c.call(() => groups(c).deleteNodes(g.name, names, c.signal)), code('InvalidArgument'));
      }
    },
  },
];
