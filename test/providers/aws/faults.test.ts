/**
 * Faults on every mutating call (through the fault proxy in front of moto): throttling, 500s, timeouts,
 * "already exists" after the call took effect, and responses lost after the call took effect. A full
 * lifecycle still converges, with no duplicate and nothing leaked; throttling shows in the metrics.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeService, newUid, retrying } from '../../../providers/conformance/index.js';
import type { Service } from '../../../core/api/index.js';
import { awsWorlds } from './fixture.js';
import type { AwsWorld } from './fixture.js';
import { census } from './lifecycle.js';
import type { Fault } from './fault-proxy.js';

const worlds = awsWorlds();
after(() => worlds.shutdown());
const signal = new AbortController().signal;

const ACTIONS = [
  'CreateLoadBalancer', 'CreateTargetGroup', 'RegisterTargets', 'CreateListener', 'AuthorizeSecurityGroupIngress',
  'DeleteListener', 'DeleteLoadBalancer', 'DeleteTargetGroup', 'RevokeSecurityGroupIngress',
  'CreateVolume', 'AttachVolume', 'DetachVolume', 'DeleteVolume', 'SetDesiredCapacity',
];

async function lifecycle(w: AwsWorld, svc: Service, extra: Record<string, unknown>): Promise<void> {
  const p = w.provider(extra);
  const lbs = p.loadBalancers;
  const vols = p.volumes;
  const groups = p.nodeGroups;
  assert.ok(lbs && vols && groups);
  await retrying(() => lbs.ensure(svc, w.nodes, signal));
  assert.deepEqual(await retrying(() => lbs.plan(svc, w.nodes, signal)), [], 'converged');
  const c = await census(w.moto.endpoint, w.ec2);
  assert.equal(c.lbs.length, 1, 'no duplicate balancer');
  assert.equal(c.tgs.length, 1, 'no duplicate target group');
  assert.equal(c.listeners.length, 1, 'no duplicate listener');
  await retrying(() => lbs.ensureDeleted(svc, signal));

  const key = `pvc-${newUid()}`;
  const v = await retrying(() => vols.create({ key, sizeBytes: 1024 ** 3, zone: 'us-east-1a', tags: {} }, signal));
  await retrying(() => vols.attach(v.id, 'node-b', signal));
  await retrying(() => vols.detach(v.id, 'node-b', signal));
  await retrying(() => vols.delete(v.id, signal));
  const live = (await census(w.moto.endpoint, w.ec2)).volumes.filter((x) => x.state !== 'deleted');
  assert.deepEqual(live, [], 'no volume left (and none duplicated)');

  await retrying(() => groups.increase('workers', 1, signal));
  const g = (await retrying(() => groups.list(signal)))[0];
  assert.equal(g?.targetSize, 2);
}

/** "Already exists" is only an answer AWS gives to creates. */
const CREATES = ['CreateLoadBalancer', 'CreateTargetGroup', 'CreateListener', 'AuthorizeSecurityGroupIngress', 'CreateVolume'];

const cases: { description: string; fault: Fault; timeoutSeconds?: number; actions?: string[] }[] = [
  { description: 'throttling (RequestLimitExceeded / Throttling)', fault: 'throttle' },
  { description: 'HTTP 500 InternalFailure', fault: '500' },
  { description: 'a request that never answers (client timeout)', fault: 'timeout', timeoutSeconds: 1 },
  { description: '"already exists" after the call took effect', fault: 'exists', actions: CREATES },
  { description: 'the response lost after the call took effect', fault: 'lost-response' },
];

for (const c of cases) {
  test(`aws faults: ${c.description} on every mutating call still converges with nothing duplicated or leaked`, async () => {
    const w = await worlds.world();
    try {
      for (const action of c.actions ?? ACTIONS) w.proxy.inject({ action, fault: c.fault });
      const svc = makeService({ name: `f-${c.fault}`, port: 80, nodePort: 31080 });
      await lifecycle(w, svc, c.timeoutSeconds ? { requestTimeoutSeconds: c.timeoutSeconds } : {});
      const after = await census(w.moto.endpoint, w.ec2);
      assert.deepEqual([after.lbs.length, after.tgs.length, after.listeners.length, after.rules], [0, 0, 0, 0], 'nothing leaked');
      assert.equal(w.proxy.faultsLeft(), 0, 'every injected fault was hit');
      if (c.fault === 'throttle') {
        const text = await w.registry.metrics();
        const m = /skiff_aws_throttled_requests_total (\d+)/.exec(text);
        assert.ok(Number(m?.[1] ?? 0) >= 10, `throttles counted in metrics:\n${text}`);
        assert.match(text, /skiff_aws_throttle_delay_seconds /);
        assert.ok(w.throttle.throttles >= 10);
      }
    } finally {
      await w.close();
    }
  });
}

test('aws faults: a throttle slows every caller, not just the failing call', async () => {
  const w = await worlds.world();
  try {
    const p = w.provider();
    w.proxy.inject({ action: 'DescribeInstances', fault: 'throttle', times: 1 });
    assert.equal(w.throttle.delayMs, 0);
    await p.instances?.exists(w.nodes[0] ?? w.nodes[1] ?? w.nodes[2] ?? assert.fail('nodes'), signal);
    assert.ok(w.throttle.throttles >= 1, 'the throttle was seen');
    const text = await w.registry.metrics();
    assert.match(text, /skiff_aws_throttled_requests_total [1-9]/);
  } finally {
    await w.close();
  }
});
