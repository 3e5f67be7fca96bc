/** Acceptance: the same flows through skiff's own CLI (`skiff apply/get/delete`) and its client library. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isNotFound, type ConfigMap, type Deployment } from '../../core/api/index.js';
import { KubeClient } from '../../core/client/index.js';
import { repoRoot, skiffCliFor, startSkiff, type RunningSkiff } from '../support/skiff.js';

const fixture = (name: string): string => join(repoRoot, 'test/e2e/fixtures', name);
const deployments = { apiVersion: 'apps/v1', plural: 'deployments', namespaced: true };
const configmaps = { apiVersion: 'v1', plural: 'configmaps', namespaced: true };

describe('skiff CLI and client against skiff', () => {
  let skiff: RunningSkiff;
  let cli: ReturnType<typeof skiffCliFor>;
  let client: KubeClient;

  before(async () => {
    skiff = await startSkiff({ args: ['--nodes', '0'] });
    cli = skiffCliFor(skiff);
    client = await KubeClient.fromKubeconfig(skiff.kubeconfig);
  });
  after(async () => {
    client?.close();
    await skiff?.stop();
  });

  async function ok(args: string[], input?: string): Promise<string> {
    const r = await cli(args, { input });
    assert.equal(r.code, 0, `skiff ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  }

  it('apply creates, re-apply reports configured/unchanged, get prints tables and yaml, delete waits', async () => {
    const out = await ok(['apply', '-f', fixture('app.yaml')]);
    assert.match(out, /namespace\/shop created/);
    assert.match(out, /deployment\.apps\/web created/);
    assert.match(out, /horizontalpodautoscaler\.autoscaling\/web created/);
    const again = await ok(['apply', '-f', fixture('app.yaml')]);
    assert.match(again, /deployment\.apps\/web unchanged/);
    const table = await ok(['get', 'deploy,svc'.split(',')[0] ?? 'deploy', '-n', 'shop']);
    assert.match(table, /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    assert.match(table, /^web\s+\d\/2/m);
    const all = await ok(['get', 'svc', '-A']);
    assert.match(all, /NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP/);
    assert.match(all, /shop\s+web\s+ClusterIP/);
    const yaml = await ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'yaml']);
    assert.match(yaml, /image: skiff\/echo:1/);
    const dep = await client.get<Deployment>(deployments, 'shop', 'web');
    assert.equal(dep.spec.template.spec.containers.length, 2);
    const del = await ok(['delete', '-f', fixture('app.yaml')]);
    assert.match(del, /deployment\.apps\/web deleted/);
    await assert.rejects(client.get(deployments, 'shop', 'web'), isNotFound);
  });

  it('delete KIND NAME and get -o json through the CLI; clear errors for bad input', async () => {
    await ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cli-cm\ndata:\n  a: "1"\n');
    const json = JSON.parse(await ok(['get', 'cm', 'cli-cm', '-o', 'json'])) as ConfigMap;
    assert.equal(json.data?.a, '1');
    assert.match(await ok(['delete', 'configmap', 'cli-cm']), /configmap\/cli-cm deleted/);
    const missing = await cli(['get', 'cm', 'cli-cm']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFound|not found/);
    const badKind = await cli(['get', 'flurbles']);
    assert.equal(badKind.code, 1);
    assert.match(badKind.stderr, /doesn't have a resource type "flurbles"/);
    const badYaml = await cli(['apply', '-f', '-'], { input: 'kind: [unclosed' });
    assert.equal(badYaml.code, 1);
    assert.match(badYaml.stderr, /error parsing STDIN/);
    const invalid = await cli(['apply', '-f', '-'], { input: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: Bad_Name\nspec:\n  replicas: -1\n' });
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /metadata\.name|spec\.replicas/);
  });

  it('the client: create, read-modify-write with conflicts, watch, scale and patch', async () => {
    const cm = await client.create<ConfigMap>(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lib-cm', namespace: 'default' }, data: { n: '0' } });
    const events = await client.watch<ConfigMap>(configmaps, { namespace: 'default', resourceVersion: cm.metadata.resourceVersion ?? '', fieldSelector: 'metadata.name=lib-cm' });
    const updated = await client.update<ConfigMap>(configmaps, { ...cm, data: { n: '1' } });
    await assert.rejects(client.update(configmaps, { ...cm, data: { n: 'stale' } }), (e: unknown) => (e as { reason?: string }).reason === 'Conflict');
    const first = await events.next();
    assert.equal(first.value?.type, 'MODIFIED');
    assert.equal(first.value?.object.data?.n, '1');
    await events.return(undefined);
    assert.notEqual(updated.metadata.resourceVersion, cm.metadata.resourceVersion);
    await client.create<Deployment>(deployments, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'lib-dep', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'skiff/echo' }] } } },
    });
    const scale = await client.getScale(deployments, 'default', 'lib-dep');
    await client.updateScale(deployments, 'default', 'lib-dep', { ...scale, spec: { replicas: 4 } });
    await client.patch(deployments, 'default', 'lib-dep', { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'E', value: 'v' }] }] } } } }, 'strategic');
    const d = await client.get<Deployment>(deployments, 'default', 'lib-dep');
    assert.equal(d.spec.replicas, 4);
    assert.equal(d.spec.template.spec.containers[0]?.image, 'skiff/echo');
    assert.deepEqual(d.spec.template.spec.containers[0]?.env, [{ name: 'E', value: 'v' }]);
  });
});
