/** A new pod as Kubernetes writes it: status.phase Pending and status.qosClass from creation, read by the real kubectl. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../core/api/index.js';
import { startTestServer } from '../client/harness.js';
import { kubectlFor } from '../client/kubectl.js';

const podsRef = { apiVersion: 'v1', plural: 'pods', namespaced: true };
const namespaces = { apiVersion: 'v1', plural: 'namespaces', namespaced: false };

test('a pod created with no node reads phase Pending and its QoS class; a status sent on create is dropped', async (t) => {
  const server = await startTestServer();
  t.after(() => server.close());
  await server.client.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const kubectl = await kubectlFor(server);

  const run = await kubectl('run', 'x', '--image=nginx', '--restart=Never');
  assert.equal(run.code, 0, run.err);
  const phase = await kubectl('get', 'pod', 'x', '-o', 'jsonpath={.status.phase}');
  assert.equal(phase.code, 0, phase.err);
  assert.equal(phase.out, 'Pending');
  const qos = await kubectl('get', 'pod', 'x', '-o', 'jsonpath={.status.qosClass}');
  assert.equal(qos.out, 'BestEffort');

  const manifest = JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'g' },
    spec: { containers: [{ name: 'c', image: 'app', resources: { limits: { cpu: '500m', memory: '64Mi' } } }] },
    status: { phase: 'Running', podIP: '10.0.0.9', qosClass: 'BestEffort' },
  });
  const created = await kubectl.withInput(manifest, 'create', '-f', '-');
  assert.equal(created.code, 0, created.err);
  const g = await server.client.get<Pod>(podsRef, 'default', 'g');
  assert.deepEqual(g.status, { phase: 'Pending', qosClass: 'Guaranteed' });

  // The status subresource then belongs to the scheduler and the node agent: an update keeps what they write.
  const running = await server.client.updateStatus<Pod>(podsRef, { ...g, status: { ...g.status, phase: 'Running' } });
  assert.equal(running.status?.phase, 'Running');
  assert.equal(running.status?.qosClass, 'Guaranteed');
});

test('a pod with scheduling gates is created with PodScheduled=False SchedulingGated', async (t) => {
  const server = await startTestServer();
  t.after(() => server.close());
  await server.client.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const p = await server.client.create<Pod>(podsRef, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gated', namespace: 'default' },
    spec: { schedulingGates: [{ name: 'example.com/wait' }], containers: [{ name: 'c', image: 'app', resources: { requests: { cpu: '100m' } } }] },
  });
  assert.equal(p.status?.phase, 'Pending');
  assert.equal(p.status?.qosClass, 'Burstable');
  assert.deepEqual(p.status?.conditions, [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }]);
});
