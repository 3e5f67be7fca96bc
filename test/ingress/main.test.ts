/** `runIngress`: the standalone entry against an in-process API server, through a kubeconfig. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../core/util/index.js';
import { ingressTarget, runIngress } from '../../ingress/index.js';
import { KubeClient } from '../../core/client/index.js';
import { createNamespace, startServer, token } from '../core/apiserver/harness.js';
import { makeIngress } from './fixtures.js';
import { get, serviceFor, startEchoes } from './proxy-support.js';
import { eventually } from './controller-support.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); });
  });
}

describe('runIngress', () => {
  it('serves routes from the kubeconfig cluster and exposes /metrics; rejects bad flags', async () => {
    await assert.rejects(runIngress(['--ingress-http-port', 'x']), /not a port/);
    const h = await startServer();
    await createNamespace(h, 'default');
    const kubeconfig = join(h.dir, 'kubeconfig');
    await writeFile(kubeconfig, JSON.stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 't',
      clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${h.port}`, 'certificate-authority-data': Buffer.from(h.pki.caCert).toString('base64') } }],
      users: [{ name: 'u', user: { token } }], contexts: [{ name: 't', context: { cluster: 'c', user: 'u' } }],
    }));
    const client = new KubeClient({ server: `https://127.0.0.1:${h.port}`, caCert: h.pki.caCert, token });
    const echoes = await startEchoes('m-1');
    const s = serviceFor('m', echoes);
    await client.create({ apiVersion: 'v1', plural: 'services', namespaced: true }, s.svc);
    await client.create({ apiVersion: 'v1', plural: 'endpoints', namespaced: true }, s.eps);
    await client.create(ingressTarget, makeIngress({ name: 'm', rules: [{ host: 'm.test', paths: [{ path: '/', service: 'm' }] }] }));
    const [http, https, metrics] = [await freePort(), await freePort(), await freePort()];
    const ac = new AbortController();
    const run = runIngress(['--kubeconfig', kubeconfig, '--ingress-http-port', String(http), '--ingress-https-port', String(https), '--metrics-port', String(metrics)],
      { signal: ac.signal, log: silentLogger });
    try {
      await eventually(async () => (await get(http, '/', { host: 'm.test' }).catch(() => ({ status: 0 }))).status === 200, 10_000, 'route');
      const m = await get(metrics, '/metrics');
      assert.match(m.text, /nginx_ingress_controller_requests\{status="200"/);
    } finally {
      ac.abort();
      await run;
      client.close();
      await Promise.all(echoes.map((e) => e.close()));
      await h.close();
    }
  });
});
