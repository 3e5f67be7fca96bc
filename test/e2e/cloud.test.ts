/**
 * Acceptance for the fake cloud in `skiff up` (issue 4): LoadBalancer Services get a real loopback
 * balancer, claims get volumes that follow their pods across nodes, NodeGroups boot real nodes that
 * the node controller initialises, `skiff plan` / `--dry-run` show changes without making them, and a
 * full resync (a restart) makes zero mutating cloud calls.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, Service } from '../../core/api/index.js';
import { isMutatingOperation } from '../../core/cloud/index.js';
import { eventually, kubectlFor, repoRoot, run, skiffCli, skiffCliFor, startSkiff, tempDir, type RunningSkiff } from '../support/skiff.js';

const fixture = (name: string): string => join(repoRoot, 'test/e2e/fixtures', name);
/** Ingress and dashboard on ephemeral ports, so this suite can run beside others. */
const freePorts = ['--ingress-http-port', '0', '--ingress-https-port', '0', '--dashboard-port', '0'];
const UNINITIALIZED = 'node.cloudprovider.kubernetes.io/uninitialized';
const LB_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';

function httpGet(host: string, port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, timeout: 3000, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Whether something accepts TCP connections at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 1000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

/** `skiff_cloud_calls_total` from the API server's /metrics, summed per operation and outcome. */
function cloudCalls(metricsText: string): { operation: string; outcome: string; count: number }[] {
  const out: { operation: string; outcome: string; count: number }[] = [];
  for (const line of metricsText.split('\n')) {
    const m = /^skiff_cloud_calls_total\{(.*)\} (\d+(?:\.\d+)?)$/.exec(line);
    if (!m?.[1] || !m[2]) continue;
    const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    out.push({ operation: labels.operation ?? '', outcome: labels.outcome ?? '', count: Number(m[2]) });
  }
  return out;
}

function kubectlHelpers(skiff: RunningSkiff) {
  const kubectl = kubectlFor(skiff);
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(args, { input });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  };
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await ok([...args, '-o', 'json'])) as T;
  return { kubectl, ok, json };
}

const running = (p: Pod | undefined): boolean => p?.status?.phase === 'Running' && !p.metadata.deletionTimestamp;

describe('the fake cloud in skiff up', () => {
  let skiff: RunningSkiff;
  let k: ReturnType<typeof kubectlHelpers>;
  let lbAddress = { ip: '', port: 0 };

  before(async () => {
    skiff = await startSkiff({ args: ['--nodes', '2', ...freePorts] });
    k = kubectlHelpers(skiff);
  });
  after(async () => {
    await skiff?.stop();
  });

  it('starts with initialised nodes (providerID, zone and instance type, no uninitialized taint) and the fake StorageClass', async () => {
    const nodes = (await k.json<{ items: Node[] }>(['get', 'nodes'])).items;
    assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), ['node-1', 'node-2']);
    for (const n of nodes) {
      assert.equal(n.spec?.providerID, `fake://${n.metadata.name ?? ''}`);
      assert.equal(n.metadata.labels?.['topology.kubernetes.io/zone'], 'fake-zone-a');
      assert.equal(n.spec?.taints?.some((t) => t.key === UNINITIALIZED) ?? false, false);
    }
    assert.match(await k.ok(['get', 'storageclass', 'fake']), /skiff\.dev\/fake/);
  });

  it('gives a LoadBalancer Service an EXTERNAL-IP within 2 s that reaches its pods over plain HTTP', async () => {
    await k.ok(['apply', '-f', fixture('cloud-lb.yaml')]);
    await eventually(async () => (await k.json<{ items: Pod[] }>(['get', 'pods', '-l', 'app=lb-echo'])).items.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length === 2, { timeoutMs: 30_000, what: '2 ready echo pods' });
    await k.ok(['apply', '-f', fixture('cloud-lb-service.yaml')]);
    const svc = await eventually(async () => {
      const s = await k.json<Service>(['get', 'svc', 'lb-echo']);
      return s.status?.loadBalancer?.ingress?.[0]?.ip ? s : undefined;
    }, { timeoutMs: 2000, intervalMs: 50, what: 'an EXTERNAL-IP' });
    const table = await k.ok(['get', 'svc', 'lb-echo']);
    lbAddress = { ip: svc.status?.loadBalancer?.ingress?.[0]?.ip ?? '', port: 8080 };
    assert.ok(table.includes(lbAddress.ip), `kubectl get svc shows the EXTERNAL-IP:\n${table}`);
    assert.match(lbAddress.ip, /^127\./);
    assert.ok(svc.metadata.finalizers?.includes(LB_FINALIZER));
    const seen = new Set<string>();
    await eventually(async () => {
      const r = await httpGet(lbAddress.ip, lbAddress.port, '/');
      assert.equal(r.status, 200);
      seen.add((JSON.parse(r.body) as { pod: string }).pod);
      return seen.size === 2;
    }, { timeoutMs: 15_000, intervalMs: 20, what: 'answers from both echo pods through the balancer' });
  });

  it('binds a claim on the fake class and keeps its file when the pod moves to the other node', async () => {
    await k.ok(['apply', '-f', fixture('cloud-volume.yaml')]);
    const pvc = await eventually(async () => {
      const c = await k.json<PersistentVolumeClaim>(['get', 'pvc', 'data']);
      return c.status?.phase === 'Bound' ? c : undefined;
    }, { timeoutMs: 15_000, what: 'claim data Bound' });
    const pvName = pvc.spec?.volumeName ?? '';
    assert.match(pvName, /^pvc-/);
    await eventually(async () => running(await k.json<Pod>(['get', 'pod', 'writer'])) && (await k.ok(['logs', 'writer'])).includes('written'), { timeoutMs: 20_000, what: 'writer wrote its file' });
    const pv = await k.json<PersistentVolume>(['get', 'pv', pvName]);
    assert.equal(pv.metadata.annotations?.['skiff.dev/attached-node'], 'node-1');
    const dir = pv.spec?.csi?.volumeAttributes?.path ?? '';
    assert.equal(readFileSync(join(dir, 'f'), 'utf8'), 'hi\n', 'the file is in the volume, not the pod directory');

    await k.ok(['delete', 'pod', 'writer', '--wait=true']);
    await k.ok(['apply', '-f', fixture('cloud-volume-reader.yaml')]);
    const reader = await eventually(async () => {
      const p = await k.json<Pod>(['get', 'pod', 'reader']);
      return running(p) && (await k.ok(['logs', 'reader'])).includes('hi') ? p : undefined;
    }, { timeoutMs: 20_000, what: 'reader on node-2 reads the file back' });
    assert.equal(reader.spec.nodeName, 'node-2');
    const moved = await k.json<PersistentVolume>(['get', 'pv', pvName]);
    assert.equal(moved.metadata.annotations?.['skiff.dev/attached-node'], 'node-2');
  });

  it('makes zero mutating cloud calls in a full resync (a restart over the same data)', async () => {
    await skiff.stop();
    skiff = await startSkiff({ dataDir: skiff.dataDir, args: ['--nodes', '2', ...freePorts] });
    k = kubectlHelpers(skiff);
    const calls = await eventually(async () => {
      const c = cloudCalls(await k.ok(['get', '--raw', '/metrics']));
      const planned = c.some((x) => x.operation === 'loadBalancers.plan');
      const swept = c.some((x) => x.operation === 'volumes.list');
      return planned && swept && running(await k.json<Pod>(['get', 'pod', 'reader'])) ? c : undefined;
    }, { timeoutMs: 30_000, what: 'the cloud controllers to resync after the restart' });
    assert.ok(calls.length > 0);
    // Let anything the resync queued run, then read the counters again.
    await new Promise((r) => setTimeout(r, 2000));
    const later = cloudCalls(await k.ok(['get', '--raw', '/metrics']));
    const mutating = later.filter((c) => isMutatingOperation(c.operation));
    assert.deepEqual(mutating, [], `mutating cloud calls after the restart: ${JSON.stringify(mutating)}`);
    assert.equal((await httpGet(lbAddress.ip, lbAddress.port, '/')).status, 200, 'the adopted balancer still serves');
  });

  it('boots NodeGroup nodes that register, get initialised and take pods; deleting nodes through the provider removes them', async () => {
    await k.ok(['apply', '-f', fixture('cloud-nodegroup.yaml')]);
    await k.ok(['patch', 'nodegroup', 'pool', '--type', 'merge', '-p', '{"spec":{"desiredSize":2}}']);
    const pool = await eventually(async () => {
      const ns = (await k.json<{ items: Node[] }>(['get', 'nodes', '-l', 'pool=big'])).items;
      const ready = ns.filter((n) => n.spec?.providerID && !n.spec.taints?.some((t) => t.key === UNINITIALIZED));
      return ready.length === 2 ? ready : undefined;
    }, { timeoutMs: 30_000, what: '2 initialised pool nodes' });
    for (const n of pool) {
      assert.equal(n.spec?.providerID, `fake://${n.metadata.name ?? ''}`);
      assert.equal(n.metadata.labels?.['node.kubernetes.io/instance-type'], 'fake.large');
      assert.equal(n.metadata.labels?.['topology.kubernetes.io/zone'], 'fake-zone-a');
      assert.equal(n.metadata.labels?.['skiff.dev/node-group'], 'pool');
      assert.equal(n.status?.capacity?.cpu, '2');
    }
    await k.ok(['apply', '-f', fixture('cloud-pool-pod.yaml')]);
    const p = await eventually(async () => {
      const x = await k.json<Pod>(['get', 'pod', 'on-pool']);
      return running(x) ? x : undefined;
    }, { timeoutMs: 20_000, what: 'a pod running on a pool node' });
    assert.ok(pool.some((n) => n.metadata.name === p.spec.nodeName));

    await k.ok(['patch', 'nodegroup', 'pool', '--type', 'merge', '-p', '{"spec":{"desiredSize":1}}']);
    const left = await eventually(async () => {
      const ns = (await k.json<{ items: Node[] }>(['get', 'nodes', '-l', 'pool=big'])).items;
      return ns.length === 1 ? ns : undefined;
    }, { timeoutMs: 20_000, what: 'one pool node deleted' });
    assert.ok(pool.some((n) => n.metadata.name === left[0]?.metadata.name));
  });

  it('deleting the Service closes its listener and removes the finalizer', async () => {
    assert.equal(await accepts(lbAddress.ip, lbAddress.port), true);
    await k.ok(['delete', 'svc', 'lb-echo', '--wait=true', '--timeout=15s']);
    const r = await k.kubectl(['get', 'svc', 'lb-echo']);
    assert.notEqual(r.code, 0, 'the Service is gone: its finalizer was removed');
    await eventually(async () => !(await accepts(lbAddress.ip, lbAddress.port)), { timeoutMs: 5000, what: 'the listener to close' });
  });
});

describe('skiff plan and skiff up --dry-run', () => {
  it('print the balancer a new LoadBalancer Service would get, without making it', async () => {
    // The cloud refuses to create balancers here, so the Service's balancer exists only in the plan.
    const s = await startSkiff({ args: ['--nodes', '1', ...freePorts, '--cloud-config', fixture('cloud-faults.yaml')] });
    try {
      const { ok, json } = kubectlHelpers(s);
      await ok(['apply', '-f', fixture('cloud-lb-service.yaml')]);
      const out = await skiffCliFor(s)(['plan']);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /service default\/lb-echo:/);
      assert.match(out.stdout, /\+ create load-balancer a\w+/);
      assert.match(out.stdout, /\+ create listener a\w+:8080/);
      const svc = await json<Service>(['get', 'svc', 'lb-echo']);
      assert.equal(svc.status?.loadBalancer?.ingress, undefined, 'no status written');
      const state = join(s.dataDir, 'cloud', 'fake-cloud.json');
      const saved = existsSync(state) ? (JSON.parse(readFileSync(state, 'utf8')) as { loadBalancers: unknown[] }).loadBalancers : [];
      assert.deepEqual(saved, [], 'no balancer or listener exists in the cloud');
    } finally {
      await s.stop();
    }
    const dry = await run(process.execPath, [...skiffCli, 'up', '--data-dir', s.dataDir, '--api-port', '0', '--nodes', '1', ...freePorts, '--dry-run', '--log-level', 'warn'], { timeoutMs: 30_000 });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\+ create load-balancer a\w+/);
    assert.match(dry.stdout, /nothing was changed/);
  });

  it('skiff up fails with one line naming the known providers for an unknown one', async () => {
    const r = await run(process.execPath, [...skiffCli, 'up', '--data-dir', tempDir(), '--api-port', '0', '--nodes', '0', ...freePorts, '--provider', 'nimbus', '--log-level', 'warn'], { timeoutMs: 30_000 });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: cloud provider: unknown cloud provider "nimbus" \(known: aws, fake, gcp; or give a module path\)\n$/);
  });
});
