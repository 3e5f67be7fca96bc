/**
 * Acceptance for workloads on local nodes: the echo Deployment runs as real processes on two
 * nodes, behind a ClusterIP and a NodePort, survives rolling updates, crashes and probes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Endpoints, Pod, Service } from '../../core/api/index.js';
import { eventually, kubectlFor, repoRoot, skiffCli, startSkiff, type RunningSkiff } from '../support/skiff.js';

interface PodList { items: Pod[] }

function httpGet(host: string, port: number, path = '/', timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('workloads on local nodes', () => {
  let skiff: RunningSkiff;
  let kubectl: ReturnType<typeof kubectlFor>;

  before(async () => {
    skiff = await startSkiff({ args: ['--nodes', '2', '--node-cpu', '2'] });
    kubectl = kubectlFor(skiff);
  });
  after(async () => {
    await skiff?.stop();
  });

  async function ok(args: string[], input?: string, timeoutMs?: number): Promise<string> {
    const r = await kubectl(args, { input, timeoutMs });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  }
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await ok([...args, '-o', 'json'])) as T;
  const readyPods = async (selector: string): Promise<Pod[]> =>
    (await json<PodList>(['get', 'pods', '-l', selector])).items.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !p.metadata.deletionTimestamp);

  it('runs examples/echo.yaml: 3 ready pods over 2 nodes, each on its own IP, reachable through ClusterIP and NodePort', async () => {
    await ok(['apply', '-f', join(repoRoot, 'examples/echo.yaml')]);
    const pods = await eventually(async () => {
      const ps = await readyPods('app=echo');
      return ps.length === 3 ? ps : undefined;
    }, { timeoutMs: 60_000, what: '3 ready echo pods' });
    assert.equal(new Set(pods.map((p) => p.spec.nodeName)).size, 2, 'spread over both nodes');
    for (const p of pods) {
      const r = await httpGet(p.status?.podIP ?? '', 8080, '/who');
      assert.equal(JSON.parse(r.body).pod, p.metadata.name);
    }
    const svc = await json<Service>(['get', 'svc', 'echo']);
    const clusterIP = svc.spec?.clusterIP ?? '';
    const nodePort = svc.spec?.ports?.[0]?.nodePort ?? 0;
    assert.match(clusterIP, /^127\./);
    assert.ok(nodePort >= 30000 && nodePort <= 32767);
    const names = new Set(pods.map((p) => p.metadata.name));
    const node = await json<{ status?: { addresses?: { type: string; address: string }[] } }>(['get', 'node', pods[0]?.spec.nodeName ?? '']);
    const nodeIP = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    assert.match(nodeIP, /^127\./);
    const viaClusterIP = new Set<string>();
    const viaNodePort = new Set<string>();
    await eventually(async () => {
      viaClusterIP.add(JSON.parse((await httpGet(clusterIP, 80)).body).pod as string);
      viaNodePort.add(JSON.parse((await httpGet(nodeIP, nodePort)).body).pod as string);
      return viaClusterIP.size === 3 && viaNodePort.size === 3;
    }, { timeoutMs: 20_000, intervalMs: 10, what: 'every pod answering through the service' });
    assert.deepEqual([...viaClusterIP].sort(), [...names].sort());
  });

  it('a rolling update with maxUnavailable 0 drops no request; rollout undo returns to the old revision', async () => {
    await ok(['patch', 'deploy/echo', '--type=merge', '-p', '{"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":0,"maxSurge":1}}}}']);
    const svc = await json<Service>(['get', 'svc', 'echo']);
    const ip = svc.spec?.clusterIP ?? '';
    let ok200 = 0;
    const failures: string[] = [];
    let stop = false;
    const load = (async () => {
      while (!stop) {
        try {
          const r = await httpGet(ip, 80, '/');
          if (r.status === 200) ok200++;
          else failures.push(`HTTP ${r.status}`);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    })();
    await ok(['set', 'env', 'deploy/echo', 'GREETING=v2']);
    await ok(['rollout', 'status', 'deploy/echo', '--timeout=90s'], undefined, 100_000);
    stop = true;
    await load;
    assert.deepEqual(failures, [], `${failures.length} failed requests during the rollout (${ok200} ok)`);
    assert.ok(ok200 > 50, `only ${ok200} requests made it`);
    const env = (await json<{ spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } } }>(['get', 'deploy/echo'])).spec.template.spec.containers[0]?.env;
    assert.ok(env?.some((e) => e.name === 'GREETING' && e.value === 'v2'));
    await ok(['rollout', 'undo', 'deploy/echo']);
    await ok(['rollout', 'status', 'deploy/echo', '--timeout=90s'], undefined, 100_000);
    const env2 = (await json<{ spec: { template: { spec: { containers: { env?: { name: string }[] }[] } } } }>(['get', 'deploy/echo'])).spec.template.spec.containers[0]?.env;
    assert.ok(!env2?.some((e) => e.name === 'GREETING'), 'undo removed the new variable');
  });

  it('restarts a killed process and a pod failing liveness; readiness takes a pod out of Endpoints and back', async () => {
    const [pod] = await readyPods('app=echo');
    assert.ok(pod);
    const name = pod.metadata.name ?? '';
    const ip = pod.status?.podIP ?? '';
    const restarts = (p: Pod): number => p.status?.containerStatuses?.[0]?.restartCount ?? 0;
    const before = restarts(pod);
    await httpGet(ip, 8080, '/admin/exit?code=3').catch(() => undefined);
    await eventually(async () => restarts(await json<Pod>(['get', 'pod', name])) > before, { timeoutMs: 30_000, what: 'restartCount to rise' });
    await eventually(async () => (await readyPods('app=echo')).some((p) => p.metadata.name === name), { timeoutMs: 30_000, what: 'restarted pod ready again' });

    // Readiness: the app answers /readyz with 503 after this; two 2 s periods later it is out of Endpoints.
    const endpointIPs = async (): Promise<string[]> => ((await json<Endpoints>(['get', 'endpoints', 'echo'])).subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
    await eventually(async () => (await endpointIPs()).includes(ip), { timeoutMs: 10_000, what: 'pod in endpoints' });
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: ip, port: 8080, path: '/admin/ready?value=false', method: 'POST' }, (res) => { res.resume(); res.on('end', resolve); });
      req.on('error', reject);
      req.end();
    });
    const t0 = Date.now();
    await eventually(async () => !(await endpointIPs()).includes(ip), { timeoutMs: 15_000, intervalMs: 100, what: 'pod out of endpoints' });
    assert.ok(Date.now() - t0 < 2 * 2000 * 3 + 2000, 'removed within the failure threshold of probe periods');
    const notReady = ((await json<Endpoints>(['get', 'endpoints', 'echo'])).subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip));
    assert.ok(notReady.includes(ip), 'kept apart as a not-ready address');
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: ip, port: 8080, path: '/admin/ready?value=true', method: 'POST' }, (res) => { res.resume(); res.on('end', resolve); });
      req.on('error', reject);
      req.end();
    });
    await eventually(async () => (await endpointIPs()).includes(ip), { timeoutMs: 15_000, what: 'pod back in endpoints' });

    // Liveness: a pod whose liveness probe fails is restarted by the agent.
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata:
  name: unlively
spec:
  containers:
  - name: c
    image: skiff/echo
    livenessProbe:
      exec: {command: ["false"]}
      initialDelaySeconds: 1
      periodSeconds: 1
      failureThreshold: 2
`);
    await eventually(async () => restarts(await json<Pod>(['get', 'pod', 'unlively'])) > 0, { timeoutMs: 30_000, what: 'liveness restart' });
    const ev = await ok(['get', 'events', '--field-selector', 'involvedObject.name=unlively']);
    assert.match(ev, /failed liveness probe, will be restarted/);
  });

  it('keeps a pod that fits nowhere Pending with Unschedulable, and schedules it on a large enough new node', async () => {
    await ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\nspec:\n  containers:\n  - name: c\n    image: skiff/echo\n    resources:\n      requests:\n        cpu: "6"\n');
    const cond = await eventually(async () => (await json<Pod>(['get', 'pod', 'huge'])).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'), { timeoutMs: 15_000, what: 'Unschedulable condition' });
    assert.equal(cond.reason, 'Unschedulable');
    assert.match(cond.message ?? '', /^0\/2 nodes are available: 2 Insufficient cpu\./);
    assert.match(await ok(['get', 'events', '--field-selector', 'involvedObject.name=huge']), /FailedScheduling.*0\/2 nodes are available: 2 Insufficient cpu/);
    const agent = spawn(process.execPath, [...skiffCli, 'agent', '--kubeconfig', skiff.kubeconfig, '--name', 'big-node', '--address', '127.0.9.1', '--pod-range', '127.190', '--cpu', '8', '--data-dir', join(skiff.dataDir, 'big-node'), '--log-level', 'warn'], { cwd: repoRoot, stdio: 'ignore' });
    try {
      const p = await eventually(async () => {
        const pod = await json<Pod>(['get', 'pod', 'huge']);
        return pod.spec.nodeName === 'big-node' && pod.status?.phase === 'Running' ? pod : undefined;
      }, { timeoutMs: 30_000, what: 'huge scheduled on big-node and running' });
      assert.equal(p.spec.nodeName, 'big-node');
      await ok(['delete', 'pod', 'huge']);
    } finally {
      agent.kill('SIGTERM');
    }
    // A stopped agent's Node stays Ready until its lease expires (40 s), as in Kubernetes: remove it.
    await ok(['delete', 'node', 'big-node']);
  });

  it('serves kubectl logs (-f), top pods and top nodes', async () => {
    const [pod] = await readyPods('app=echo');
    const name = pod?.metadata.name ?? '';
    await httpGet(pod?.status?.podIP ?? '', 8080, '/log-me');
    assert.match(await ok(['logs', name]), /listening/);
    assert.match(await ok(['logs', name, '--tail=1']), /\S/);
    const f = spawn('kubectl', ['--cache-dir', join(skiff.dataDir, 'kube-cache'), 'logs', '-f', name], { env: { ...process.env, KUBECONFIG: skiff.kubeconfig, HOME: skiff.dataDir } });
    let out = '';
    f.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await eventually(() => out.includes('listening'), { what: 'logs -f initial output' });
      const before = out.length;
      await httpGet(pod?.status?.podIP ?? '', 8080, '/admin/exit?code=0').catch(() => undefined);
      await eventually(() => out.length > before || f.exitCode !== null, { timeoutMs: 15_000, what: 'logs -f to follow or end' });
    } finally {
      f.kill();
    }
    const top = await eventually(async () => {
      const r = await kubectl(['top', 'pods']);
      return r.code === 0 && /echo-/.test(r.stdout) ? r.stdout : undefined;
    }, { timeoutMs: 20_000, what: 'kubectl top pods' });
    assert.match(top, /NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    const nodes = await ok(['top', 'nodes']);
    assert.match(nodes, /node-1\s+\d+m\s+\d+%\s+\d+Mi/);
  });

  it('gives bad specs a clear reason and event without crashing the agent', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata:
  name: nocmd
spec:
  containers:
  - name: c
    image: busybox
    command: ["definitely-not-a-command-xyz"]
---
apiVersion: v1
kind: Pod
metadata:
  name: noimage
spec:
  containers:
  - name: c
    image: nginx:1.27
`);
    const reason = async (n: string): Promise<string> => {
      const s = (await json<Pod>(['get', 'pod', n])).status?.containerStatuses?.[0];
      return s?.state?.waiting?.reason ?? s?.state?.terminated?.reason ?? s?.lastState?.terminated?.reason ?? '';
    };
    await eventually(async () => /RunContainerError|StartError|CrashLoopBackOff/.test(await reason('nocmd')), { timeoutMs: 15_000, what: 'nocmd reason' });
    await eventually(async () => (await reason('noimage')) === 'ErrImagePull', { timeoutMs: 15_000, what: 'noimage reason' });
    assert.match(await ok(['get', 'events', '--field-selector', 'involvedObject.name=nocmd']), /executable file not found/);
    assert.match(await ok(['get', 'events', '--field-selector', 'involvedObject.name=noimage']), /not a built-in app/);
    // The agent still runs pods afterwards (the one the logs test stopped is back after its back-off).
    await eventually(async () => (await readyPods('app=echo')).length === 3, { timeoutMs: 30_000, what: '3 ready echo pods' });
  });

  it('leaves no pod process behind on stop, and a restart brings the Deployment back', async () => {
    // Pod processes run in directories under this skiff's data dir: find them by their cwd.
    const pids = async (): Promise<string[]> => {
      const out: string[] = [];
      for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
        try {
          if (readlinkSync(`/proc/${pid}/cwd`).startsWith(skiff.dataDir)) out.push(pid);
        } catch {
          // gone or not ours
        }
      }
      return out;
    };
    assert.ok((await pids()).length >= 3);
    const code = await skiff.stop('SIGTERM');
    assert.equal(code, 0);
    await eventually(async () => (await pids()).length === 0, { timeoutMs: 10_000, what: 'no echo processes left' });
    skiff = await startSkiff({ dataDir: skiff.dataDir, args: ['--nodes', '2', '--node-cpu', '2'] });
    kubectl = kubectlFor(skiff);
    await eventually(async () => (await readyPods('app=echo')).length === 3, { timeoutMs: 60_000, what: 'echo back to 3 ready pods' });
  });
});
