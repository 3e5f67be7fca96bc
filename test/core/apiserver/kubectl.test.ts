/** One smoke test with the machine's real kubectl (1.32 via its version dispatcher) against the in-process server. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createNamespace, startServer, token } from './harness.js';
import type { Harness } from './harness.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

describe('real kubectl against the API server', () => {
  let h: Harness;
  let env: NodeJS.ProcessEnv;
  let kubeconfig: string;

  before(async () => {
    h = await startServer();
    await createNamespace(h, 'default');
    const home = join(h.dir, 'home');
    await mkdir(home, { recursive: true });
    kubeconfig = join(h.dir, 'kubeconfig');
    await writeFile(kubeconfig, [
      'apiVersion: v1', 'kind: Config',
      'clusters:', '- name: skiff', '  cluster:', `    server: https://127.0.0.1:${h.port}`,
      `    certificate-authority-data: ${Buffer.from(h.pki.caCert).toString('base64')}`,
      'users:', '- name: admin', '  user:', `    token: ${token}`,
      'contexts:', '- name: skiff', '  context: {cluster: skiff, user: admin, namespace: default}',
      'current-context: skiff', '',
    ].join('\n'));
    await writeFile(join(h.dir, 'dep.yaml'), deployment);
    env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: kubeconfig };
  });
  after(async () => { await h.close(); });

  const kubectl = (...args: string[]): Promise<{ code: number; out: string; err: string }> =>
    new Promise((resolve) => {
      execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { env, timeout: 60_000 }, (e, out, err) => {
        const code = e ? (typeof e.code === 'number' ? e.code : 1) : 0;
        resolve({ code, out, err });
      });
    });

  test('apply, get, scale, patch, delete a Deployment', async () => {
    const file = join(h.dir, 'dep.yaml');
    const steps: { args: string[]; out: RegExp }[] = [
      { args: ['version'], out: /Server Version: v1\.32/ },
      { args: ['apply', '-f', file], out: /deployment.apps\/web created/ },
      { args: ['apply', '-f', file], out: /deployment.apps\/web unchanged/ },
      { args: ['get', 'deploy'], out: /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2\s+0\s+0\s+\d+s/ },
      { args: ['scale', 'deploy', 'web', '--replicas=4'], out: /deployment.apps\/web scaled/ },
      { args: ['patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}'], out: /deployment.apps\/web patched/ },
      { args: ['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}'], out: /patched/ },
      { args: ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.labels.tier} {.spec.template.spec.containers[0].image}'], out: /^4 front nginx:1\.28$/ },
      { args: ['describe', 'deploy', 'web'], out: /Replicas:\s+4 desired/ },
      { args: ['apply', '--server-side', '--force-conflicts', '-f', file], out: /serverside-applied/ },
      { args: ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'], out: /^2$/ },
      { args: ['delete', 'deploy', 'web'], out: /deployment.apps "web" deleted/ },
      { args: ['get', 'deploy'], out: /^$/ },
    ];
    for (const s of steps) {
      const r = await kubectl(...s.args);
      assert.equal(r.code, 0, `kubectl ${s.args.join(' ')} failed: ${r.err}`);
      assert.match(r.out, s.out, `kubectl ${s.args.join(' ')}: ${r.out} ${r.err}`);
    }
  });

  test('server-side apply after client-side apply keeps container ports (defaulted protocol key)', async () => {
    const file = join(h.dir, 'ports.yaml');
    await writeFile(file, deployment.replace('name: web\nspec', 'name: ports\nspec').replaceAll('app: web', 'app: ports')
      .replace('image: nginx:1.27', 'image: nginx:1.27\n        ports:\n        - containerPort: 80\n        - containerPort: 443'));
    for (const args of [['apply', '-f', file], ['apply', '--server-side', '-f', file]]) {
      const r = await kubectl(...args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.err}`);
    }
    const r = await kubectl('get', 'deploy', 'ports', '-o', 'jsonpath={.spec.template.spec.containers[0].ports}');
    assert.deepEqual(JSON.parse(r.out), [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }]);
  });

  test('create subcommands (protobuf bodies) work', async () => {
    const steps: { args: string[]; out: RegExp }[] = [
      { args: ['create', 'namespace', 'team-a'], out: /namespace\/team-a created/ },
      { args: ['create', 'deployment', 'd1', '--image=nginx', '--replicas=3', '--port=8080', '-n', 'team-a'], out: /deployment.apps\/d1 created/ },
      { args: ['create', 'configmap', 'c1', '--from-literal=a=b', '-n', 'team-a'], out: /configmap\/c1 created/ },
      { args: ['create', 'secret', 'generic', 's1', '--from-literal=k=v', '-n', 'team-a'], out: /secret\/s1 created/ },
      { args: ['get', 'deploy', 'd1', '-n', 'team-a', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].ports[0].containerPort} {.metadata.labels.app}'], out: /^3 8080 d1$/ },
      { args: ['get', 'secret', 's1', '-n', 'team-a', '-o', 'jsonpath={.type} {.data.k}'], out: /^Opaque dg==$/ },
      { args: ['get', 'ns', 'team-a'], out: /team-a\s+Active/ },
    ];
    for (const s of steps) {
      const r = await kubectl(...s.args);
      assert.equal(r.code, 0, `kubectl ${s.args.join(' ')} failed: ${r.err}`);
      assert.match(r.out, s.out, `kubectl ${s.args.join(' ')}: ${r.out} ${r.err}`);
    }
  });

  test('get -w streams changes', async () => {
    const w = execFile('kubectl', ['--kubeconfig', kubeconfig, 'get', 'configmaps', '-n', 'team-a', '-w', '--request-timeout=20s'], { env, timeout: 20_000 });
    let out = '';
    w.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const until = async (re: RegExp): Promise<void> => {
      for (let i = 0; i < 100 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    };
    await until(/c1/);
    assert.equal((await kubectl('create', 'configmap', 'watched', '--from-literal=x=y', '-n', 'team-a')).code, 0);
    await until(/watched/);
    w.kill();
    assert.match(out, /NAME\s+DATA\s+AGE/);
    assert.match(out, /watched\s+1\s+/);
  });

  test('strict field validation errors come back as kubectl prints them', async () => {
    const bad = join(h.dir, 'bad.yaml');
    await writeFile(bad, deployment.replace('replicas: 2', 'replicas: 2\n  bogus: 1'));
    const r = await kubectl('apply', '-f', bad);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /unknown field "spec\.bogus"/);
  });
});
