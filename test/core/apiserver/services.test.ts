import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamespace, startServer } from './harness.js';

const svcs = '/api/v1/namespaces/default/services';
const svc = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ...spec } });

test('services get a ClusterIP and NodePorts, kept across updates', async () => {
  const h = await startServer();
  try {
    await createNamespace(h, 'default');
    const a = await h.req('POST', svcs, svc('a', { ports: [{ port: 80 }] }));
    assert.equal(a.status, 201, a.text);
    assert.match(a.body.spec.clusterIP, /^127\.(24[0-9]|25[0-5])\.\d+\.\d+$/);
    assert.deepEqual(a.body.spec.clusterIPs, [a.body.spec.clusterIP]);
    assert.equal(a.body.spec.ports[0].nodePort, undefined);
    const b = await h.req('POST', svcs, svc('b', { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, nodePort: 31443 }] }));
    assert.equal(b.status, 201, b.text);
    const np = b.body.spec.ports[0].nodePort;
    assert.ok(np >= 30000 && np <= 32767, String(np));
    assert.equal(b.body.spec.ports[1].nodePort, 31443);
    assert.notEqual(b.body.spec.clusterIP, a.body.spec.clusterIP);
    const clash = await h.req('POST', svcs, svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 31443 }] }));
    assert.equal(clash.status, 422, clash.text);
    assert.equal(clash.body.details.causes[0].field, 'spec.ports[0].nodePort');
    const put = { ...b.body, spec: { ...b.body.spec, clusterIP: undefined, clusterIPs: undefined, ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, nodePort: 31443 }] } };
    const u = await h.req('PUT', `${svcs}/b`, put);
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.spec.clusterIP, b.body.spec.clusterIP);
    assert.equal(u.body.spec.ports[0].nodePort, np);
    const headless = await h.req('POST', svcs, svc('h', { clusterIP: 'None', ports: [{ port: 80 }] }));
    assert.equal(headless.body.spec.clusterIP, 'None');
  } finally {
    await h.close();
  }
});

test('type changes drop the allocated values the new type does not use', async () => {
  const h = await startServer();
  try {
    await createNamespace(h, 'default');
    const lb = await h.req('POST', svcs, svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 32100, ports: [{ port: 80, targetPort: 8080 }] }));
    assert.equal(lb.status, 201, lb.text);
    const np = lb.body.spec.ports[0].nodePort;
    const cases = [
      { description: 'LoadBalancer → ClusterIP by merge patch (nodePort left in place)', patch: { spec: { type: 'ClusterIP' } }, status: 200, nodePort: undefined },
      { description: 'ClusterIP → NodePort allocates again', patch: { spec: { type: 'NodePort' } }, status: 200, nodePort: 'any' },
    ];
    for (const c of cases) {
      const r = await h.req('PATCH', `${svcs}/lb`, c.patch, { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(r.status, c.status, `${c.description}: ${r.text}`);
      if (c.nodePort === undefined) {
        assert.equal(r.body.spec.ports[0].nodePort, undefined, c.description);
        assert.equal(r.body.spec.healthCheckNodePort, undefined, c.description);
        assert.equal(r.body.spec.externalTrafficPolicy, undefined, c.description);
        assert.equal(r.body.spec.clusterIP, lb.body.spec.clusterIP, c.description);
      } else {
        assert.equal(typeof r.body.spec.ports[0].nodePort, 'number', c.description);
      }
    }
    // A PUT that switches to ClusterIP but sends a different nodePort is still invalid.
    const live = (await h.req('GET', `${svcs}/lb`)).body;
    const bad = await h.req('PUT', `${svcs}/lb`, { ...live, spec: { ...live.spec, type: 'ClusterIP', ports: [{ ...live.spec.ports[0], nodePort: np === 30999 ? 31000 : 30999 }] } });
    assert.equal(bad.status, 422, bad.text);
    const ext = await h.req('PATCH', `${svcs}/lb`, { spec: { type: 'ExternalName', externalName: 'example.com' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(ext.status, 200, ext.text);
    assert.equal(ext.body.spec.clusterIP, undefined);
    assert.equal(ext.body.spec.ports[0].nodePort, undefined);
  } finally {
    await h.close();
  }
});
