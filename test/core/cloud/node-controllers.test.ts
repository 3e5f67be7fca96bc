import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TAINT_SHUTDOWN, TAINT_UNINITIALIZED } from '../../../core/cloud/index.js';
import { putNode, startEnv, until } from './support.js';

test('node controllers: initialise from instance metadata; shutdown taints; a deleted instance deletes the Node', async () => {
  const env = await startEnv({ lifecycle: { monitorPeriodMs: 1_000 } });
  const { h, fake, clock } = env;
  const node = async (): Promise<{ status: number; body: { spec?: { providerID?: string; taints?: { key: string }[] }; metadata: { labels: Record<string, string> }; status: { addresses: { type: string; address: string }[] } } }> => h.req('GET', '/api/v1/nodes/n1');
  const taints = async (): Promise<string[]> => ((await node()).body.spec?.taints ?? []).map((t) => t.key);
  try {
    await putNode(h, 'n1', { labels: { 'topology.kubernetes.io/zone': 'zone-9' }, taints: [{ key: TAINT_UNINITIALIZED, value: 'true', effect: 'NoSchedule' }] });
    await until('initialised', async () => !(await taints()).includes(TAINT_UNINITIALIZED));
    const n = (await node()).body;
    assert.equal(n.spec?.providerID, 'fake://n1');
    const cases: { description: string; label: string; want: string }[] = [
      { description: 'instance type defaults', label: 'node.kubernetes.io/instance-type', want: 'fake.standard' },
      { description: 'zone comes from the node label', label: 'topology.kubernetes.io/zone', want: 'zone-9' },
      { description: 'region is the fake region', label: 'topology.kubernetes.io/region', want: 'fake-region' },
    ];
    for (const c of cases) assert.equal(n.metadata.labels[c.label], c.want, c.description);
    assert.deepEqual(n.status.addresses.map((a) => a.type).sort(), ['Hostname', 'InternalIP']);

    fake.cloud.stopInstance('n1');
    await until('shutdown taint', async () => {
      await clock.advance(1_000);
      return (await taints()).includes(TAINT_SHUTDOWN);
    });
    assert.equal((await node()).status, 200, 'a stopped instance keeps its Node');
    fake.cloud.startInstance('n1');
    await until('taint removed', async () => {
      await clock.advance(1_000);
      return !(await taints()).includes(TAINT_SHUTDOWN);
    });
    fake.cloud.terminateInstance('n1');
    await until('node deleted', async () => {
      await clock.advance(1_000);
      return (await node()).status === 404;
    });
  } finally {
    await env.close();
  }
});
