/**
 * `skiff up --provider gcp` end to end, against the loopback Compute fake (test/support/gce-fake): the node
 * controller initialises the local nodes from seeded instances, a LoadBalancer Service gets its address,
 * firewalls, health check, target pool and forwarding rule in that order, a restart makes no mutating call,
 * a gce-pd claim gets a disk that follows its pod, deleting the Service removes everything, and a MIG
 * NodeGroup grows and shrinks. The cloud-config's `authToken` keeps every call on loopback (no ADC).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { Node, PersistentVolumeClaim, Service } from '../../core/api/index.js';
import { seedInstance, seedMig, startGceFake, type GceFake, type LoggedRequest } from '../support/gce-fake/index.js';
import { eventually, kubectlFor, repoRoot, run, skiffCli, startSkiff, tempDir, type RunningSkiff } from '../support/skiff.js';

const PROJECT = 'skiff-e2e';
const REGION = 'us-central1';
const ZONE = 'us-central1-a';
const UNINITIALIZED = 'node.cloudprovider.kubernetes.io/uninitialized';
const fixture = (name: string): string => join(repoRoot, 'test/e2e/fixtures', name);

/** Inserts and custom methods as `METHOD path` without the project prefix; operation polls left out. */
function calls(reqs: readonly LoggedRequest[]): string[] {
  return reqs.filter((r) => r.mutating).map((r) => `${r.method} ${r.path.replace(`projects/${PROJECT}/`, '')}`);
}

function writeCloudConfig(fake: GceFake, dir: string): string {
  const file = join(dir, 'gcp.yaml');
  writeFileSync(file, stringify({
    project: PROJECT, region: REGION, zones: [ZONE], network: 'default', nodeTags: ['skiff-node'],
    apiEndpoint: fake.host, port: fake.port, protocol: 'http', authToken: 'test-token',
    qps: 1000, backoffMs: 10, pollIntervalMs: 10, nodeGroups: [{ name: 'workers', zone: ZONE, min: 0, max: 3 }],
  }));
  return file;
}

describe('skiff up --provider gcp against the Compute fake', () => {
  let fake: GceFake;
  let skiff: RunningSkiff;
  let cloudConfig = '';
  let lb = '';
  const start = async (dataDir?: string): Promise<void> => {
    skiff = await startSkiff({ ...(dataDir ? { dataDir } : {}), args: ['--nodes', '2', '--provider', 'gcp', '--cloud-config', cloudConfig], timeoutMs: 60_000 });
  };
  const k = async (args: string[]): Promise<string> => {
    const r = await kubectlFor(skiff)(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}\nskiff:\n${skiff.output()}`);
    return r.stdout;
  };
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await k([...args, '-o', 'json'])) as T;
  const resources = (part: string): string[] => [...fake.store.resources.keys()].filter((key) => key.includes(part));

  before(async () => {
    fake = await startGceFake();
    for (const name of ['node-1', 'node-2']) seedInstance(fake, { project: PROJECT, zone: ZONE, name, tags: ['skiff-node'], labels: { 'skiff-cluster': 'skiff' } });
    seedMig(fake, { project: PROJECT, zone: ZONE, name: 'workers', machineType: 'e2-standard-4' });
    cloudConfig = writeCloudConfig(fake, tempDir('skiff-gcp-'));
    await start();
  });
  after(async () => {
    await skiff?.stop();
    await fake?.close();
  });

  it('initialises the local nodes from their instances (providerID, zone, no uninitialized taint)', async () => {
    const nodes = (await json<{ items: Node[] }>(['get', 'nodes'])).items;
    assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), ['node-1', 'node-2']);
    for (const n of nodes) {
      assert.equal(n.spec?.providerID, `gce://${PROJECT}/${ZONE}/${n.metadata.name ?? ''}`);
      assert.equal(n.metadata.labels?.['topology.kubernetes.io/zone'], ZONE);
      assert.equal(n.spec?.taints?.some((t) => t.key === UNINITIALIZED) ?? false, false);
    }
  });

  it('gives a LoadBalancer Service address, firewalls, health check, target pool and forwarding rule, in that order', async () => {
    const from = fake.requests.length;
    await k(['apply', '-f', fixture('gcp-lb.yaml')]);
    const svc = await eventually(async () => {
      const s = await json<Service>(['get', 'svc', 'gcp-echo']);
      return s.status?.loadBalancer?.ingress?.[0]?.ip ? s : undefined;
    }, { timeoutMs: 20_000, what: 'status.loadBalancer.ingress' });
    lb = `a${(svc.metadata.uid ?? '').replace(/-/g, '')}`;
    const inserts = calls(fake.requests.slice(from)).filter((c) => c.startsWith('POST') && !c.includes('/operations/'));
    assert.deepEqual(inserts, [
      `POST regions/${REGION}/addresses`, 'POST global/firewalls', 'POST global/firewalls', 'POST global/httpHealthChecks',
      `POST regions/${REGION}/targetPools`, `POST regions/${REGION}/forwardingRules`,
    ]);
    const rule = fake.store.resources.get(`projects/${PROJECT}/regions/${REGION}/forwardingRules/${lb}`);
    assert.ok(rule, `forwarding rule ${lb} exists: ${resources(PROJECT).join(', ')}`);
    assert.equal(svc.status?.loadBalancer?.ingress?.[0]?.ip, rule.IPAddress);
    const pool = fake.store.resources.get(`projects/${PROJECT}/regions/${REGION}/targetPools/${lb}`);
    assert.deepEqual(((pool?.instances ?? []) as string[]).map((i) => i.split('/').pop()).sort(), ['node-1', 'node-2']);
  });

  it('creates a pd-ssd disk for a gce-pd claim and attaches it to the node of the pod using it', async () => {
    await k(['apply', '-f', fixture('gcp-volume.yaml')]);
    const pvc = await eventually(async () => {
      const c = await json<PersistentVolumeClaim>(['get', 'pvc', 'disk']);
      return c.status?.phase === 'Bound' ? c : undefined;
    }, { timeoutMs: 20_000, what: 'claim disk Bound' });
    const diskPath = `projects/${PROJECT}/zones/${ZONE}/disks/pvc-${pvc.metadata.uid ?? ''}`;
    const disk = fake.store.resources.get(diskPath);
    assert.ok(disk, `disk ${diskPath} exists: ${resources('/disks/').join(', ')}`);
    assert.equal(disk.sizeGb, '10');
    assert.match(String(disk.type), /\/diskTypes\/pd-ssd$/);
    await eventually(() => ((fake.store.resources.get(diskPath)?.users ?? []) as string[]).some((u) => u.endsWith('/instances/node-1')), { timeoutMs: 20_000, what: 'the disk attached to node-1' });
    assert.ok(fake.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/instances/node-1/attachDisk`) && r.body?.deviceName === `pvc-${pvc.metadata.uid ?? ''}`));
  });

  it('makes no mutating call in a full resync (a restart over the same data)', async () => {
    await skiff.stop();
    const from = fake.requests.length;
    await start(skiff.dataDir);
    // The service controller has looked at the balancer once it reads its forwarding rule again.
    await eventually(() => fake.requests.slice(from).some((r) => r.method === 'GET' && r.path.endsWith(`/forwardingRules/${lb}`)), { timeoutMs: 20_000, what: 'the balancer resync' });
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(calls(fake.requests.slice(from)), [], 'mutating Compute calls after the restart');
  });

  it('detaches the disk when the pod goes and deletes it with the claim', async () => {
    const pvc = await json<PersistentVolumeClaim>(['get', 'pvc', 'disk']);
    const diskPath = `projects/${PROJECT}/zones/${ZONE}/disks/pvc-${pvc.metadata.uid ?? ''}`;
    await k(['delete', 'pod', 'disk-user', '--wait=true', '--timeout=20s']);
    await eventually(() => ((fake.store.resources.get(diskPath)?.users ?? ['x']) as string[]).length === 0, { timeoutMs: 20_000, what: 'the disk detached' });
    assert.ok(fake.requests.some((r) => r.method === 'POST' && r.path.endsWith('/instances/node-1/detachDisk')));
    await k(['delete', 'pvc', 'disk', '--wait=true', '--timeout=20s']);
    await eventually(() => !fake.store.resources.has(diskPath), { timeoutMs: 20_000, what: 'the disk deleted' });
    assert.ok(fake.requests.some((r) => r.method === 'DELETE' && r.path === diskPath));
  });

  it('deleting the Service removes the forwarding rule, target pool, health check, firewalls and address', async () => {
    assert.ok(resources(lb).length >= 6, `the balancer's resources exist: ${resources(lb).join(', ')}`);
    await k(['delete', 'svc', 'gcp-echo', '--wait=true', '--timeout=20s']);
    assert.deepEqual(resources(lb), []);
  });

  it('grows and shrinks the MIG through a NodeGroup desiredSize', async () => {
    const mig = `projects/${PROJECT}/zones/${ZONE}/instanceGroupManagers/workers`;
    await k(['apply', '-f', fixture('gcp-nodegroup.yaml')]);
    await k(['patch', 'nodegroup', 'workers', '--type', 'merge', '-p', '{"spec":{"desiredSize":2}}']);
    await eventually(() => fake.store.resources.get(mig)?.targetSize === 2, { timeoutMs: 20_000, what: 'MIG targetSize 2' });
    const resize = fake.requests.find((r) => r.path === `${mig}/resize`);
    assert.equal(resize?.query.size, '2');
    assert.equal(resources(`zones/${ZONE}/instances/workers-`).length, 2);
    await k(['patch', 'nodegroup', 'workers', '--type', 'merge', '-p', '{"spec":{"desiredSize":1}}']);
    await eventually(() => fake.store.resources.get(mig)?.targetSize === 1, { timeoutMs: 20_000, what: 'MIG targetSize 1' });
    const del = fake.requests.find((r) => r.path === `${mig}/deleteInstances`);
    assert.equal(((del?.body?.instances ?? []) as string[]).length, 1);
    assert.equal(resources(`zones/${ZONE}/instances/workers-`).length, 1);
  });
});

describe('skiff up --provider gcp cloud-config checks', () => {
  it('refuses a static authToken unless apiEndpoint is loopback, with one line and before any request', async () => {
    const dir = tempDir('skiff-gcp-');
    const file = join(dir, 'gcp.yaml');
    writeFileSync(file, stringify({ project: PROJECT, region: REGION, apiEndpoint: 'compute.googleapis.com', authToken: 'test-token' }));
    const ports = ['--api-port', '0', '--ingress-http-port', '0', '--ingress-https-port', '0', '--dashboard-port', '0'];
    const r = await run(process.execPath, [...skiffCli, 'up', '--data-dir', dir, ...ports, '--nodes', '0', '--provider', 'gcp', '--cloud-config', file, '--log-level', 'warn'], { timeoutMs: 60_000 });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^error: cloud provider: gcp cloud-config: "authToken" is for tests only and needs a loopback "apiEndpoint"\n$/);
  });
});
