/**
 * Acceptance for PodDisruptionBudgets, eviction and autoscaling/v1 through the real kubectl and HTTPS:
 * `kubectl drain` of a node whose 3 pods a `minAvailable: 2` budget covers evicts one pod at a time
 * (retrying on 429) and waits for each replacement; a direct eviction that would break a budget gets 429;
 * the documentation's PDB and HPA examples apply unchanged; `kubectl api-resources` lists the kinds.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Pod } from '../../core/api/index.js';
import { KubeClient, loadKubeconfig } from '../../core/client/index.js';
import { rawApi, type RawApi } from '../support/api.js';
import { eventually, kubectlFor, repoRoot, startSkiff, type RunningSkiff } from '../support/skiff.js';

const fixtures = join(repoRoot, 'test/e2e/fixtures');
const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - {name: echo, image: skiff/echo}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
`;

describe('disruption budgets, eviction and drain', () => {
  let skiff: RunningSkiff;
  let kubectl: ReturnType<typeof kubectlFor>;
  let api: RawApi;

  before(async () => {
    skiff = await startSkiff({ args: ['--nodes', '2'] });
    kubectl = kubectlFor(skiff);
    api = rawApi(skiff.kubeconfig);
  });
  after(async () => {
    api?.close();
    await skiff?.stop();
  });

  async function ok(args: string[], input?: string, timeoutMs?: number): Promise<string> {
    const r = await kubectl(args, { ...(input !== undefined ? { input } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  }
  const webPods = async (): Promise<Pod[]> => (JSON.parse(await ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as { items: Pod[] }).items;
  const pdbStatus = async (name: string): Promise<Record<string, number>> => JSON.parse(await ok(['get', 'pdb', name, '-o', 'jsonpath={.status}'])) as Record<string, number>;

  it('lists the kinds in kubectl api-resources', async () => {
    const out = await ok(['api-resources']);
    assert.match(out, /^poddisruptionbudgets\s+pdb\s+policy\/v1\s+true\s+PodDisruptionBudget$/m);
    assert.match(out, /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m);
    assert.match(await ok(['api-versions']), /^autoscaling\/v1$/m);
  });

  it('applies the documentation\'s PodDisruptionBudget and HPA examples unchanged', async () => {
    await ok(['apply', '-f', join(fixtures, 'k8s-docs/zookeeper-pod-disruption-budget-minavailable.yaml')]);
    assert.match(await ok(['get', 'pdb', 'zk-pdb']), /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nzk-pdb\s+2\s+N\/A\s+0\s+\S+$/m);
    await ok(['apply', '-f', join(fixtures, 'k8s-docs/zookeeper-pod-disruption-budget-maxunavailable.yaml')]);
    assert.match(await ok(['get', 'pdb', 'zk-pdb']), /^zk-pdb\s+N\/A\s+1\s+0\s+\S+$/m);
    const cond = await eventually(async () => {
      const c = JSON.parse(await ok(['get', 'pdb', 'zk-pdb', '-o', 'jsonpath={.status.conditions[0]}']) || '{}') as { type?: string; reason?: string };
      return c.reason ? c : undefined;
    }, { timeoutMs: 30_000, what: 'the disruption controller to report on zk-pdb' });
    assert.deepEqual([cond.type, cond.reason], ['DisruptionAllowed', 'InsufficientPods']);
    await ok(['delete', 'pdb', 'zk-pdb']);

    await ok(['apply', '-f', join(fixtures, 'php-apache-hpa-v1.yaml')]);
    const v1 = await api.call('GET', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/php-apache');
    assert.equal(v1.json<{ spec: { targetCPUUtilizationPercentage: number } }>().spec.targetCPUUtilizationPercentage, 50, v1.body);
    const viaKubectl = JSON.parse(await ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'php-apache', '-o', 'json'])) as { apiVersion: string; spec: Record<string, unknown> };
    assert.deepEqual([viaKubectl.apiVersion, viaKubectl.spec.targetCPUUtilizationPercentage], ['autoscaling/v1', 50]);
    assert.equal(await ok(['get', 'hpa', 'php-apache', '-o', 'jsonpath={.spec.metrics[0].resource.target.averageUtilization}']), '50');
    await ok(['apply', '-f', join(fixtures, 'k8s-docs/php-apache-hpa.yaml')]);
    assert.match(await ok(['get', 'hpa', 'php-apache']), /^php-apache\s+Deployment\/php-apache\s+cpu: <unknown>\/50%\s+1\s+10\s+\d+\s+\S+$/m);
    await ok(['delete', 'hpa', 'php-apache']);
  });

  it('kubectl drain evicts one pod at a time under a minAvailable: 2 budget; a direct eviction past the budget gets 429', async () => {
    // All three replicas on node-1: node-2 is cordoned while they start.
    await ok(['cordon', 'node-2']);
    await ok(['apply', '-f', '-'], web);
    await eventually(async () => {
      const ps = await webPods();
      return ps.length === 3 && ps.every((p) => isReady(p) && p.spec.nodeName === 'node-1');
    }, { timeoutMs: 90_000, what: '3 ready web pods on node-1' });
    await eventually(async () => (await pdbStatus('web')).disruptionsAllowed === 1, { timeoutMs: 30_000, what: 'one allowed disruption' });
    await ok(['uncordon', 'node-2']);

    // Watch every web pod while the drain runs: never fewer than 2 ready pods that are not going away.
    const client = new KubeClient(await loadKubeconfig(skiff.kubeconfig));
    const stop = new AbortController();
    const pods = new Map<string, Pod>();
    let minHealthy = Infinity;
    for (const p of await webPods()) pods.set(p.metadata.name ?? '', p);
    const watching = (async () => {
      const list = await client.list<Pod>({ apiVersion: 'v1', plural: 'pods', namespaced: true }, { namespace: 'default', labelSelector: 'app=web' });
      const events = await client.watch<Pod>({ apiVersion: 'v1', plural: 'pods', namespaced: true }, { namespace: 'default', labelSelector: 'app=web', resourceVersion: list.metadata.resourceVersion ?? '', signal: stop.signal });
      for await (const ev of events) {
        if (ev.type === 'DELETED') pods.delete(ev.object.metadata.name ?? '');
        else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') pods.set(ev.object.metadata.name ?? '', ev.object);
        const healthy = [...pods.values()].filter((p) => isReady(p) && !p.metadata.deletionTimestamp).length;
        minHealthy = Math.min(minHealthy, healthy);
      }
    })().catch((e: unknown) => { if (!stop.signal.aborted) throw e; });

    const drain = await kubectl(['drain', 'node-1', '--ignore-daemonsets', '--timeout=240s'], { timeoutMs: 260_000 });
    stop.abort();
    await watching;
    client.close();
    assert.equal(drain.code, 0, `${drain.stderr}\n${drain.stdout}`);
    const output = `${drain.stdout}\n${drain.stderr}`;
    assert.match(output, /node\/node-1 cordoned/);
    assert.equal((output.match(/^evicting pod default\/web-/gm) ?? []).length >= 3, true, output);
    assert.match(output, /error when evicting pods\/"web-[^"]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./, 'the budget made kubectl retry');
    assert.match(output, /node\/node-1 drained/);
    assert.ok(minHealthy >= 2, `never fewer than 2 healthy pods (saw ${minHealthy})`);
    const moved = await eventually(async () => {
      const ps = await webPods();
      return ps.length === 3 && ps.every((p) => isReady(p) && p.spec.nodeName === 'node-2' && !p.metadata.deletionTimestamp) ? ps : undefined;
    }, { timeoutMs: 60_000, what: 'the 3 pods ready on node-2' });
    assert.equal(moved.length, 3);

    // A budget of 3 over 3 pods allows nothing: a direct eviction over HTTPS is refused with 429.
    await ok(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":3}}']);
    await eventually(async () => {
      const st = await pdbStatus('web');
      return st.desiredHealthy === 3 && st.disruptionsAllowed === 0;
    }, { timeoutMs: 30_000, what: 'the budget to allow nothing' });
    const victim = moved[0]?.metadata.name ?? '';
    const r = await api.call('POST', `/api/v1/namespaces/default/pods/${victim}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: victim, namespace: 'default' } });
    assert.equal(r.status, 429, r.body);
    const status = r.json<{ message: string; reason: string; details: { causes: { reason: string; message: string }[] } }>();
    assert.equal(status.reason, 'TooManyRequests');
    assert.equal(status.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(status.details.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 3 healthy pods and has 3 currently' }]);
    const v1beta1 = await api.call('POST', `/api/v1/namespaces/default/pods/${victim}/eviction`, { apiVersion: 'policy/v1beta1', kind: 'Eviction', metadata: { name: victim, namespace: 'default' } });
    assert.equal(v1beta1.status, 429, 'a policy/v1beta1 Eviction is judged the same way');
    const pod = JSON.parse(await ok(['get', 'pod', victim, '-o', 'json'])) as Pod;
    assert.equal(pod.metadata.deletionTimestamp, undefined, 'the pod stays');
  });
});
