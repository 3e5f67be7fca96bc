import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig, writeKubeconfig } from '../../../core/client/index.js';
import { ApiError } from '../../../core/api/index.js';

const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

test('kubeconfig round trip', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kc-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'sub', 'kubeconfig');
  await writeKubeconfig(path, { server: 'https://127.0.0.1:6443', caCert: ca, token: 's3cret' });
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  assert.deepEqual(await loadKubeconfig(path), { server: 'https://127.0.0.1:6443', caCert: ca, token: 's3cret' });
});

test('kubeconfig variants', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kc-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'ca.crt'), ca);
  await writeFile(join(dir, 'token'), 'from-file\n');
  const cases: { name: string; yaml: string; want?: object; error?: RegExp }[] = [
    {
      name: 'current-context picks the cluster and user; files resolve relative to the config',
      yaml: `
current-context: b
clusters:
- name: one
  cluster: { server: 'https://one:1' }
- name: two
  cluster: { server: 'https://127.0.0.1:2', certificate-authority: ca.crt }
contexts:
- name: a
  context: { cluster: one, user: u1 }
- name: b
  context: { cluster: two, user: u2, namespace: team }
users:
- name: u1
  user: { token: nope }
- name: u2
  user: { tokenFile: token }
`,
      want: { server: 'https://127.0.0.1:2', caCert: ca, token: 'from-file', namespace: 'team' },
    },
    {
      name: 'insecure-skip-tls-verify and client certificate data',
      yaml: `
current-context: c
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:3', insecure-skip-tls-verify: true } }]
contexts: [{ name: c, context: { cluster: c, user: c } }]
users: [{ name: c, user: { client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key-data: ${Buffer.from('KEY').toString('base64')} } }]
`,
      want: { server: 'https://127.0.0.1:3', insecure: true, clientCert: 'CERT', clientKey: 'KEY' },
    },
    {
      name: 'a missing context is a clear error',
      yaml: 'current-context: nope\nclusters: []\ncontexts: []\nusers: []\n',
      error: /context "nope" not found/,
    },
  ];
  for (const [i, c] of cases.entries()) {
    await t.test(c.name, async () => {
      const p = join(dir, `config-${i}`);
      await writeFile(p, c.yaml);
      if (c.error) {
        await assert.rejects(loadKubeconfig(p), (e: unknown) => e instanceof ApiError && (c.error as RegExp).test(e.message));
      } else {
        assert.deepEqual(await loadKubeconfig(p), c.want);
      }
    });
  }
});

test('KUBECONFIG selects the default path', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-kc-'));
  const old = process.env.KUBECONFIG;
  t.after(async () => {
    if (old === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = old;
    await rm(dir, { recursive: true, force: true });
  });
  const path = join(dir, 'kc');
  await writeKubeconfig(path, { server: 'https://127.0.0.1:9', token: 't' });
  process.env.KUBECONFIG = path;
  assert.equal((await loadKubeconfig()).server, 'https://127.0.0.1:9');
});
