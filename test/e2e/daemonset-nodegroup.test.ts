/**
 * Acceptance for DaemonSets on nodes a NodeGroup adds (issue 14, "a node added through a NodeGroup
 * gets its pod"): a real `skiff up` with a fake-cloud NodeGroup, the documentation's fluentd
 * DaemonSet applied through the real kubectl, then the group grown by one node; the new node gets
 * exactly one daemon pod that runs, and every node still has exactly one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { DaemonSet, Node, Pod } from '../../core/api/index.js';
import { eventually, kubectlFor, repoRoot, startSkiff, type RunningSkiff } from '../support/skiff.js';

const example = join(repoRoot, 'test/e2e/fixtures/k8s-docs/daemonset.yaml');
const GROUP = 'daemons';
const nodeGroup = `apiVersion: skiff.dev/v1alpha1
kind: NodeGroup
metadata: {name: ${GROUP}}
spec:
  minSize: 1
  maxSize: 3
  desiredSize: 1
  template:
    capacity: {cpu: "2", memory: 4Gi}
    labels: {pool: daemons}
`;
const isReady = (n: Node): boolean => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('a DaemonSet on nodes a NodeGroup adds', () => {
  let skiff: RunningSkiff;
  let kubectl: ReturnType<typeof kubectlFor>;

  before(async () => {
    skiff = await startSkiff({ args: ['--nodes', '1'], timeoutMs: 90_000 });
    kubectl = kubectlFor(skiff);
  });
  after(async () => {
    await skiff?.stop();
  });

  async function ok(args: string[], input?: string): Promise<string> {
    const r = await kubectl(args, input === undefined ? {} : { input });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  }
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await ok([...args, '-o', 'json'])) as T;
  const nodes = async (): Promise<Node[]> => (await json<{ items: Node[] }>(['get', 'nodes'])).items;
  const daemonPods = async (): Promise<Pod[]> =>
    (await json<{ items: Pod[] }>(['get', 'pods', '-n', 'kube-system', '-l', 'name=fluentd-elasticsearch'])).items.filter((p) => !p.metadata.deletionTimestamp);
  /** Node name → its live daemon pods, for every node (a node without one maps to []). */
  const podsPerNode = (ns: Node[], ps: Pod[]): Map<string, Pod[]> =>
    new Map(ns.map((n) => [n.metadata.name ?? '', ps.filter((p) => p.spec.nodeName === n.metadata.name)]));
  /** Resolves once every node has exactly one Running daemon pod and no daemon pod is elsewhere or unbound. */
  const oneRunningPerNode = (what: string): Promise<{ nodes: Node[]; pods: Pod[] }> => eventually(async () => {
    const ns = await nodes();
    const ps = await daemonPods();
    const per = podsPerNode(ns, ps);
    const each = [...per.values()].every((x) => x.length === 1 && x[0]?.status?.phase === 'Running');
    return each && ps.length === ns.length ? { nodes: ns, pods: ps } : undefined;
  }, { timeoutMs: 180_000, intervalMs: 500, what });

  it('gives the node a grown NodeGroup adds exactly one running fluentd pod, and every node keeps exactly one', async () => {
    await ok(['apply', '-f', '-'], nodeGroup);
    const first = await eventually(async () => {
      const ns = (await nodes()).filter((n) => n.metadata.labels?.['skiff.dev/node-group'] === GROUP);
      return ns.length === 1 && ns.every(isReady) ? ns : undefined;
    }, { timeoutMs: 120_000, intervalMs: 500, what: `one Ready node of NodeGroup ${GROUP}` });

    // The documentation's example, unchanged but for a command: its fluentd image cannot run as a
    // local process, so the test gives the container `sleep 3600` in its place.
    const ds = parse(readFileSync(example, 'utf8')) as DaemonSet;
    const container = ds.spec?.template.spec?.containers[0];
    assert.ok(container, 'the example has a container');
    container.command = ['sleep', '3600'];
    assert.match(await ok(['apply', '-f', '-'], JSON.stringify(ds)), /daemonset.apps\/fluentd-elasticsearch created/);

    const before = await oneRunningPerNode('one Running fluentd pod on each of the starting nodes');
    assert.equal(before.nodes.length, 2, `the local node and the group's node: ${before.nodes.map((n) => n.metadata.name).join(', ')}`);
    assert.ok(before.nodes.some((n) => n.metadata.name === first[0]?.metadata.name));

    // Grow the group by one, as the README documents: raise spec.desiredSize (and minSize, so the
    // cluster autoscaler has no reason to take the node back while only a daemon pod runs there).
    await ok(['patch', 'nodegroup', GROUP, '--type', 'merge', '-p', JSON.stringify({ spec: { minSize: 2, desiredSize: 2 } })]);
    const known = new Set(before.nodes.map((n) => n.metadata.name));
    const added = await eventually(async () => {
      const n = (await nodes()).find((x) => !known.has(x.metadata.name));
      return n && isReady(n) ? n : undefined;
    }, { timeoutMs: 120_000, intervalMs: 500, what: 'a new Ready node from the grown NodeGroup' });
    assert.equal(added.metadata.labels?.['skiff.dev/node-group'], GROUP);
    assert.equal(added.metadata.labels?.pool, 'daemons');

    const grown = await oneRunningPerNode(`one Running fluentd pod on ${added.metadata.name ?? ''} and on every other node`);
    assert.equal(grown.nodes.length, 3);
    const onNew = grown.pods.filter((p) => p.spec.nodeName === added.metadata.name);
    assert.equal(onNew.length, 1, `exactly one daemon pod on ${added.metadata.name ?? ''}`);
    assert.equal(onNew[0]?.status?.phase, 'Running');
    assert.equal(onNew[0]?.metadata.ownerReferences?.[0]?.kind, 'DaemonSet');
    // The pods of the starting nodes were kept, not replaced.
    const kept = new Set(before.pods.map((p) => p.metadata.uid));
    assert.equal(grown.pods.filter((p) => kept.has(p.metadata.uid)).length, 2);

    const status = await eventually(async () => {
      const s = await json<DaemonSet>(['get', 'ds', 'fluentd-elasticsearch', '-n', 'kube-system']);
      return s.status?.desiredNumberScheduled === 3 && s.status.numberReady === 3 ? s.status : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500, what: 'DaemonSet status counting 3 nodes, 3 ready' });
    assert.equal(status.currentNumberScheduled, 3);
    assert.equal(status.numberMisscheduled, 0);
  });
});
