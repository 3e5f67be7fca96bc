/**
 * Acceptance: the machine's real kubectl (1.32 via the dispatcher) drives `skiff up` unchanged.
 * One skiff per file; each test uses its own objects.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, kubectlFor, repoRoot, startSkiff, type RunningSkiff } from '../support/skiff.js';

const fixture = (name: string): string => join(repoRoot, 'test/e2e/fixtures', name);

describe('kubectl against skiff', () => {
  let skiff: RunningSkiff;
  let kubectl: ReturnType<typeof kubectlFor>;

  before(async () => {
    skiff = await startSkiff();
    kubectl = kubectlFor(skiff);
  });
  after(async () => {
    await skiff?.stop();
  });

  async function ok(args: string[], input?: string): Promise<string> {
    const r = await kubectl(args, { input });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  }

  async function getJson<T>(args: string[]): Promise<T> {
    return JSON.parse(await ok([...args, '-o', 'json'])) as T;
  }

  interface Dep { spec: { replicas: number; template: { spec: { containers: { name: string; image: string; terminationMessagePath?: string; env?: { name: string; value: string }[]; ports?: { containerPort: number }[] }[] } } }; metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; generation?: number } }

  it('applies a multi-document manifest, and a re-apply with one image changed touches only that image', async () => {
    const out = await ok(['apply', '-f', fixture('app.yaml')]);
    for (const s of ['namespace/shop created', 'configmap/web-config created', 'deployment.apps/web created', 'service/web created', 'ingress.networking.k8s.io/web created', 'horizontalpodautoscaler.autoscaling/web created']) {
      assert.match(out, new RegExp(s.replace(/\./g, '\\.')));
    }
    const before = await getJson<Dep>(['get', 'deploy/web', '-n', 'shop']);
    const changed = readFileSync(fixture('app.yaml'), 'utf8').replace('skiff/echo:1', 'skiff/echo:2');
    const out2 = await ok(['apply', '-f', '-'], changed);
    assert.match(out2, /deployment\.apps\/web configured/);
    assert.match(out2, /service\/web unchanged/);
    const after = await getJson<Dep>(['get', 'deploy/web', '-n', 'shop']);
    const [app, sidecar] = after.spec.template.spec.containers;
    assert.equal(app?.image, 'skiff/echo:2');
    assert.deepEqual(app?.env, [{ name: 'MODE', value: 'fast' }]);
    assert.equal(app?.ports?.[0]?.containerPort, 8080);
    assert.equal(app?.terminationMessagePath, before.spec.template.spec.containers[0]?.terminationMessagePath, 'server defaults kept');
    assert.equal(sidecar?.name, 'sidecar');
    assert.equal(sidecar?.image, 'busybox:1.36');
    assert.equal(after.metadata.generation, (before.metadata.generation ?? 0) + 1);
  });

  it('prints the Table columns kubectl users know for get deploy,svc,ing,hpa -A', async () => {
    await ok(['apply', '-f', fixture('app.yaml')]);
    const out = await ok(['get', 'deploy,svc,ing,hpa', '-A']);
    assert.match(out, /NAMESPACE\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    assert.match(out, /shop\s+deployment\.apps\/web\s+\d\/2\s+\d\s+\d\s+\S+/);
    assert.match(out, /NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE/);
    assert.match(out, /shop\s+service\/web\s+ClusterIP\s+\S+\s+<none>\s+80\/TCP/);
    assert.match(out, /NAMESPACE\s+NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE/);
    assert.match(out, /shop\s+ingress\.networking\.k8s\.io\/web\s+\S+\s+shop\.localhost\s+\S*\s*80/);
    assert.match(out, /NAMESPACE\s+NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
    assert.match(out, /shop\s+horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+5\s+\d+/);
  });

  it('server-side apply creates and then updates', async () => {
    const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: default\ndata:\n  k: "${v}"\n`;
    assert.match(await ok(['apply', '--server-side', '-f', '-'], cm('one')), /configmap\/ssa serverside-applied/);
    assert.match(await ok(['apply', '--server-side', '-f', '-'], cm('two')), /configmap\/ssa serverside-applied/);
    const got = await getJson<{ data: Record<string, string>; metadata: { managedFields?: { manager: string; operation: string }[] } }>(['get', 'cm/ssa', '--show-managed-fields']);
    assert.equal(got.data.k, 'two');
    assert.ok(got.metadata.managedFields?.some((m) => m.manager === 'kubectl' && m.operation === 'Apply'));
  });

  it('get -w streams a change made by another client', async () => {
    await ok(['create', 'deployment', 'watched', '--image=skiff/echo']);
    const w = spawn('kubectl', ['--cache-dir', join(skiff.dataDir, 'kube-cache'), 'get', 'deploy', 'watched', '-w', '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas'], {
      env: { ...process.env, KUBECONFIG: skiff.kubeconfig, HOME: skiff.dataDir },
    });
    let out = '';
    w.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await eventually(() => /watched\s+1/.test(out), { what: 'initial row', timeoutMs: 15_000 });
      await ok(['patch', 'deploy/watched', '--type=merge', '-p', '{"spec":{"replicas":4}}']);
      await eventually(() => /watched\s+4/.test(out), { what: 'watched change', timeoutMs: 15_000 });
    } finally {
      w.kill();
    }
  });

  it('kubectl scale goes through the scale subresource', async () => {
    await ok(['create', 'deployment', 'scaled', '--image=skiff/echo']);
    const r = await kubectl(['scale', 'deploy/scaled', '--replicas=3', '-v=6']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deployment\.apps\/scaled scaled/);
    assert.match(r.stderr, /deployments\/scaled\/scale/);
    const d = await getJson<Dep>(['get', 'deploy/scaled']);
    assert.equal(d.spec.replicas, 3);
  });

  it('patches with strategic, merge and json types', async () => {
    await ok(['create', 'deployment', 'patched', '--image=skiff/echo']);
    await ok(['patch', 'deploy/patched', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"echo","env":[{"name":"A","value":"1"}]}]}}}}']);
    let d = await getJson<Dep>(['get', 'deploy/patched']);
    assert.equal(d.spec.template.spec.containers.length, 1, 'strategic merge keeps the container list merged by name');
    assert.equal(d.spec.template.spec.containers[0]?.image, 'skiff/echo');
    assert.deepEqual(d.spec.template.spec.containers[0]?.env, [{ name: 'A', value: '1' }]);
    await ok(['patch', 'deploy/patched', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"gold"}}}']);
    await ok(['patch', 'deploy/patched', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":5}]']);
    d = await getJson<Dep>(['get', 'deploy/patched']);
    assert.equal(d.metadata.labels?.tier, 'gold');
    assert.equal(d.spec.replicas, 5);
    const bad = await kubectl(['patch', 'deploy/patched', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":9}]']);
    assert.notEqual(bad.code, 0);
  });

  it('describe shows events', async () => {
    await ok(['create', 'deployment', 'described', '--image=skiff/echo']);
    const dep = await getJson<{ metadata: { uid: string } }>(['get', 'deploy/described']);
    const ev = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'described.1', namespace: 'default' },
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'described', namespace: 'default', uid: dep.metadata.uid },
      reason: 'ScalingReplicaSet', message: 'Scaled up replica set described-abc to 1', type: 'Normal', count: 1,
      firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      source: { component: 'deployment-controller' },
    };
    await ok(['create', '-f', '-'], JSON.stringify(ev));
    const out = await ok(['describe', 'deploy', 'described']);
    assert.match(out, /Name:\s+described/);
    assert.match(out, /Events:/);
    assert.match(out, /ScalingReplicaSet\s+.*Scaled up replica set described-abc to 1/);
  });

  it('create -f rejects an unknown field and accepts it with --validate=false', async () => {
    const m = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\ndata:\n  a: b\nbogusField: 1\n';
    const r = await kubectl(['create', '-f', '-'], { input: m });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown field "bogusField"/);
    assert.match(await ok(['create', '--validate=false', '-f', '-'], m), /configmap\/strict created/);
  });

  it('delete -f returns once the objects are gone', async () => {
    const m = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: doomed\ndata:\n  a: b\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: doomed\nstringData:\n  a: b\n';
    await ok(['apply', '-f', '-'], m);
    const path = join(skiff.dataDir, 'doomed.yaml');
    writeFileSync(path, m);
    const out = await ok(['delete', '-f', path]);
    assert.match(out, /configmap "doomed" deleted/);
    assert.match(out, /secret "doomed" deleted/);
    const r = await kubectl(['get', 'cm/doomed']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NotFound|not found/);
  });

  it('serves a CRD: instances are applied, listed and rejected when they break the schema', async () => {
    await ok(['apply', '-f', fixture('crd.yaml')]);
    await eventually(async () => (await kubectl(['get', 'widgets'])).code === 0, { what: 'widgets served', timeoutMs: 15_000 });
    const w = (name: string, spec: string): string => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
    assert.match(await ok(['apply', '-f', '-'], w('small', '  size: 2\n  color: red\n')), /widget\.example\.com\/small created/);
    const list = await ok(['get', 'wdg']);
    assert.match(list, /NAME\s+SIZE/, "additionalPrinterColumns replace the default AGE column, as in Kubernetes");
    assert.match(list, /small\s+2/);
    for (const [spec, msg] of [['  size: 0\n', /spec\.size/], ['  size: 3\n  color: purple\n', /spec\.color/], ['  color: red\n', /spec\.size/], ['  size: "big"\n', /spec\.size/]] as const) {
      const r = await kubectl(['apply', '-f', '-'], { input: w('bad', spec) });
      assert.notEqual(r.code, 0, `accepted ${spec}`);
      assert.match(r.stderr, msg);
    }
  });
});
