/** Load-balancer conformance cases: idempotency, dry runs, ownership (no leaks, adoption), churn, naming. */
import assert from 'node:assert/strict';
import { isCloudError } from '../../core/cloud/index.js';
import type { LoadBalancers } from '../../core/cloud/index.js';
import type { Service } from '../../core/api/index.js';
import type { CaseContext } from './context.js';
import { newUid } from './subject.js';

export interface Case {
  name: string;
  run(c: CaseContext): Promise<void>;
}

function lbs(c: CaseContext): LoadBalancers {
  const l = c.provider.loadBalancers;
  assert.ok(l, 'loadBalancers capability');
  return l;
}

async function owned(c: CaseContext, svc: Service): Promise<number> {
  const all = await c.call(() => lbs(c).list(c.signal));
  return all.filter((lb) => Object.values(lb.tags).includes(svc.metadata.uid ?? '')).length;
}

export const lbCases: Case[] = [
  {
    name: 'names are deterministic from the UID and within the cloud limit',
    async run(c) {
      const max = c.provider.capabilities.loadBalancers?.maxNameLength ?? 0;
      const a = c.service('a');
      const a2: Service = { ...c.service('renamed'), metadata: { ...a.metadata, name: 'renamed' } };
      const b = c.service('b');
      for (const s of [a, b, c.service('x'.repeat(63))]) assert.ok(lbs(c).name(s).length <= max, `name within ${max}`);
      assert.equal(lbs(c).name(a), lbs(c).name(a2));
      assert.notEqual(lbs(c).name(a), lbs(c).name(b));
    },
  },
  {
    name: 'plan lists the changes without making them',
    async run(c) {
      const svc = c.service('plan');
      const before = c.cloudMutations();
      const changes = await c.call(() => lbs(c).plan(svc, c.nodes, c.signal));
      assert.ok(changes.some((ch) => ch.action === 'create'), 'a create is planned');
      assert.equal(c.cloudMutations(), before, 'plan made no mutating call');
      assert.equal(await c.call(() => lbs(c).get(svc, c.signal)), undefined);
    },
  },
  {
    name: 'ensure twice: the second makes no mutating call',
    async run(c) {
      const svc = c.service('twice');
      const first = await c.call(() => lbs(c).ensure(svc, c.nodes, c.signal));
      assert.ok(first.ingress.length > 0, 'ingress reported');
      assert.deepEqual(await c.call(() => lbs(c).plan(svc, c.nodes, c.signal)), []);
      const before = c.cloudMutations();
      const second = await c.call(() => lbs(c).ensure(svc, c.nodes, c.signal));
      assert.deepEqual(second, first);
      if (c.subject.mutatingCalls) assert.equal(c.cloudMutations(), before, 'no cloud mutation on the second ensure');
      await c.call(() => lbs(c).ensureDeleted(svc, c.signal));
    },
  },
  {
    name: 'delete after a partial create leaves nothing',
    async run(c) {
      const svc = c.service('partial');
      if (c.subject.failPartway) {
        c.subject.failPartway();
        await assert.rejects(c.call(() => lbs(c).ensure(svc, c.nodes, c.signal)));
      }
      await c.call(() => lbs(c).ensureDeleted(svc, c.signal));
      await c.call(() => lbs(c).ensureDeleted(svc, c.signal));
      assert.equal(await owned(c, svc), 0);
      assert.equal(await c.call(() => lbs(c).get(svc, c.signal)), undefined);
    },
  },
  {
    name: 'changing the balancer kind or the Service type leaves no leak',
    async run(c) {
      const svc = c.service('variant');
      await c.call(() => lbs(c).ensure(svc, c.nodes, c.signal));
      const v = c.subject.variantAnnotation;
      if (v) {
        const changed: Service = { ...svc, metadata: { ...svc.metadata, annotations: { [v.key]: v.value } } };
        await c.call(() => lbs(c).ensure(changed, c.nodes, c.signal));
        assert.equal(await owned(c, svc), 1, 'exactly one balancer after the kind changed');
      }
      const clusterIP: Service = { ...svc, spec: { ...svc.spec, type: 'ClusterIP' } };
      await c.call(() => lbs(c).ensureDeleted(clusterIP, c.signal));
      assert.equal(await owned(c, svc), 0, 'nothing left after the type change');
    },
  },
  {
    name: 'a restarted provider adopts what it created',
    async run(c) {
      const svc = c.service('adopt');
      const status = await c.call(() => lbs(c).ensure(svc, c.nodes, c.signal));
      const again = c.wrap(await c.subject.restart());
      assert.ok(again.loadBalancers);
      const found = await c.call(() => again.loadBalancers?.get(svc, c.signal) ?? Promise.resolve(undefined));
      assert.deepEqual(found?.status, status);
      const before = c.cloudMutations();
      await c.call(() => again.loadBalancers?.ensure(svc, c.nodes, c.signal) ?? Promise.reject(new Error('no lbs')));
      if (c.subject.mutatingCalls) assert.equal(c.cloudMutations(), before, 'adopted without changes');
      assert.equal(await owned(c, svc), 1, 'not duplicated');
      await c.call(() => lbs(c).ensureDeleted(svc, c.signal));
    },
  },
  {
    name: 'node-set churn goes through updateHosts',
    async run(c) {
      const svc = c.service('churn');
      const [a, b, d] = c.nodes;
      assert.ok(a && b && d, 'three nodes');
      await assert.rejects(lbs(c).updateHosts(svc, [a], c.signal), (e: unknown) => isCloudError(e, 'NotFound'));
      await c.call(() => lbs(c).ensure(svc, [a, b], c.signal));
      for (const set of [[a], [a, b, d], []]) {
        await c.call(() => lbs(c).updateHosts(svc, set, c.signal));
        assert.deepEqual(await c.call(() => lbs(c).plan(svc, set, c.signal)), [], `steady after updateHosts to ${set.length} nodes`);
      }
      assert.equal(await owned(c, svc), 1);
      await c.call(() => lbs(c).ensureDeleted(svc, c.signal));
    },
  },
  {
    name: 'an unknown owner has no balancer',
    async run(c) {
      const svc = { ...c.service('ghost'), metadata: { name: 'ghost', namespace: 'conformance', uid: newUid() } };
      assert.equal(await c.call(() => lbs(c).get(svc, c.signal)), undefined);
      await c.call(() => lbs(c).ensureDeleted(svc, c.signal));
    },
  },
];
