/**
 * Acceptance for StatefulSets on local nodes and the fake cloud, through real kubectl: strict
 * ordering (asserted from a watch's event order), a claim per ordinal that survives its pod,
 * scale-down in reverse keeping claims, a partitioned rolling update, rollout history/undo/
 * status/restart, and the documentation's `web` example.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ControllerRevision, Endpoints, Event, PersistentVolumeClaim, Pod, StatefulSet } from '../../core/api/index.js';
import { eventually, kubectlFor, repoRoot, startSkiff, type RunningSkiff } from '../support/skiff.js';

const fixture = (name: string): string => join(repoRoot, 'test/e2e/fixtures', name);
const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

interface WatchLine { type: string; name: string; ready: string; deleting: boolean }

/** `kubectl get pods -w --output-watch-events`: every event, in the order the API server sent them. */
function watchPods(skiff: RunningSkiff, selector: string): { lines: WatchLine[]; stop(): void } {
  const tpl = '{.type}{"|"}{.object.metadata.name}{"|"}{.object.status.conditions[?(@.type=="Ready")].status}{"|"}{.object.metadata.deletionTimestamp}{"\\n"}';
  const proc: ChildProcess = spawn('kubectl', ['--cache-dir', join(skiff.dataDir, 'kube-cache'), 'get', 'pods', '-l', selector, '-w', '--output-watch-events', '-o', `jsonpath=${tpl}`], {
    env: { ...process.env, KUBECONFIG: skiff.kubeconfig, HOME: skiff.dataDir }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: WatchLine[] = [];
  let buf = '';
  proc.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const [type = '', name = '', ready = '', deleting = ''] = buf.slice(0, i).split('|');
      buf = buf.slice(i + 1);
      lines.push({ type, name, ready, deleting: deleting !== '' });
    }
  });
  return { lines, stop: () => { proc.kill(); } };
}

describe('StatefulSets on local nodes', () => {
  let skiff: RunningSkiff;
  let kubectl: ReturnType<typeof kubectlFor>;

  before(async () => {
    skiff = await startSkiff({ args: ['--nodes', '2'], timeoutMs: 60_000 });
    kubectl = kubectlFor(skiff);
  });
  after(async () => {
    await skiff?.stop();
  });

  async function ok(args: string[], timeoutMs?: number): Promise<string> {
    const r = await kubectl(args, { timeoutMs });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  }
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await ok([...args, '-o', 'json'])) as T;
  const pods = async (selector: string): Promise<Pod[]> => (await json<{ items: Pod[] }>(['get', 'pods', '-l', selector])).items;
  const log = async (pod: string): Promise<string> => (await kubectl(['logs', pod])).stdout;
  const readyCount = async (name: string, want: number, selector = `app=${name}`): Promise<StatefulSet> => eventually(async () => {
    const s = await json<StatefulSet>(['get', 'sts', name]);
    const ps = (await pods(selector)).filter((p) => isReady(p) && !p.metadata.deletionTimestamp);
    return s.status?.readyReplicas === want && ps.length === want && s.status.replicas === want ? s : undefined;
  }, { timeoutMs: 90_000, what: `${want} ready pods of ${name}` });

  it('lists statefulsets (sts) and controllerrevisions in kubectl api-resources', async () => {
    const out = await ok(['api-resources', '--api-group', 'apps']);
    assert.match(out, /^statefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet$/m);
    assert.match(out, /^controllerrevisions\s+apps\/v1\s+true\s+ControllerRevision$/m);
  });

  it('starts pods strictly in order, each with its own claim and data, and keeps them across pod deletion and scale-down', async () => {
    const watch = watchPods(skiff, 'app=ord');
    try {
      await ok(['apply', '-f', fixture('statefulset-ordinals.yaml')]);
      await readyCount('ord', 3);
      // From the watch: no ord-N appears before ord-(N-1) was reported Ready.
      for (const n of [1, 2]) {
        const created = watch.lines.findIndex((l) => l.name === `ord-${n}` && l.type === 'ADDED');
        const prevReady = watch.lines.findIndex((l) => l.name === `ord-${n - 1}` && l.ready === 'True');
        assert.ok(created > 0 && prevReady >= 0 && prevReady < created, `ord-${n} created (event ${created}) only after ord-${n - 1} was Ready (event ${prevReady}):\n${watch.lines.map((l) => `${l.type} ${l.name} ${l.ready}`).join('\n')}`);
      }
      for (const n of [0, 1, 2]) {
        const p = await json<Pod>(['get', 'pod', `ord-${n}`]);
        assert.equal(p.spec.hostname, `ord-${n}`);
        assert.equal(p.spec.subdomain, 'ord');
        assert.equal(p.metadata.labels?.['statefulset.kubernetes.io/pod-name'], `ord-${n}`);
        assert.equal(p.metadata.labels?.['apps.kubernetes.io/pod-index'], String(n));
        assert.equal(p.spec.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName, `data-ord-${n}`);
        await eventually(async () => (await log(`ord-${n}`)).includes(`ordinal=${n} boots=1`), { timeoutMs: 20_000, what: `ord-${n} wrote its ordinal` });
      }
      const claims = (await json<{ items: PersistentVolumeClaim[] }>(['get', 'pvc'])).items;
      assert.deepEqual(claims.map((c) => `${c.metadata.name ?? ''}:${c.status?.phase ?? ''}`).sort(), ['data-ord-0:Bound', 'data-ord-1:Bound', 'data-ord-2:Bound']);
      const table = await ok(['get', 'sts', 'ord']);
      assert.match(table, /^NAME\s+READY\s+AGE\n(ord)\s+3\/3\s+\S+/);

      // Deleting ord-1 brings back ord-1 with the same claim and its data.
      const old1 = await json<Pod>(['get', 'pod', 'ord-1']);
      // --wait=false: the name comes back at once, and kubectl's wait for a deletion only notices the
      // DELETED event, which it can miss when the replacement is listed first.
      await ok(['delete', 'pod', 'ord-1', '--wait=false']);
      const new1 = await eventually(async () => {
        const p = (await pods('app=ord')).find((x) => x.metadata.name === 'ord-1' && x.metadata.uid !== old1.metadata.uid);
        return p && isReady(p) ? p : undefined;
      }, { timeoutMs: 60_000, what: 'a new ready ord-1' });
      assert.equal(new1.spec.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName, 'data-ord-1');
      await eventually(async () => (await log('ord-1')).includes('ordinal=1 boots=2'), { timeoutMs: 20_000, what: 'the new ord-1 reads the data of the old one' });

      // Scaling to 1 deletes ord-2, then ord-1, and keeps both claims.
      const mark = watch.lines.length;
      await ok(['scale', 'sts', 'ord', '--replicas=1']);
      await eventually(async () => (await pods('app=ord')).map((p) => p.metadata.name).join() === 'ord-0', { timeoutMs: 60_000, what: 'only ord-0 left' });
      const after = watch.lines.slice(mark);
      const gone2 = after.findIndex((l) => l.name === 'ord-2' && l.type === 'DELETED');
      const leaving1 = after.findIndex((l) => l.name === 'ord-1' && (l.deleting || l.type === 'DELETED'));
      assert.ok(gone2 >= 0 && leaving1 > gone2, `ord-1 is deleted only after ord-2 is gone:\n${after.map((l) => `${l.type} ${l.name} ${l.deleting}`).join('\n')}`);
      const kept = (await json<{ items: PersistentVolumeClaim[] }>(['get', 'pvc'])).items.map((c) => c.metadata.name).sort();
      assert.deepEqual(kept, ['data-ord-0', 'data-ord-1', 'data-ord-2']);
    } finally {
      watch.stop();
    }
  });

  it('a rolling update with partition 2 updates only ord-2; rollout status, history, undo and restart work', async () => {
    await ok(['scale', 'sts', 'ord', '--replicas=3']);
    await readyCount('ord', 3);
    await ok(['patch', 'sts', 'ord', '-p', '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}']);
    await ok(['set', 'env', 'sts/ord', 'VERSION=2']);
    const status = await ok(['rollout', 'status', 'sts/ord', '--timeout=90s'], 100_000);
    assert.match(status, /partitioned roll out complete: 1 new pods have been updated/);
    await eventually(async () => (await log('ord-2')).includes('version=2'), { timeoutMs: 20_000, what: 'ord-2 runs version 2' });
    const versions = async (): Promise<string[]> => (await pods('app=ord')).map((p) => `${p.metadata.name ?? ''}:${p.spec.containers[0]?.env?.find((e) => e.name === 'VERSION')?.value ?? '1'}`).sort();
    assert.deepEqual(await versions(), ['ord-0:1', 'ord-1:1', 'ord-2:2']);
    const s = await json<StatefulSet>(['get', 'sts', 'ord']);
    assert.notEqual(s.status?.currentRevision, s.status?.updateRevision);
    assert.equal(s.status?.updatedReplicas, 1);
    const history = await ok(['rollout', 'history', 'sts/ord']);
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const rev2 = await ok(['rollout', 'history', 'sts/ord', '--revision=2']);
    assert.match(rev2, /VERSION:\s+2/);

    // Undo goes back: ord-2 returns to version 1, its revision renumbered to 3.
    const undo = await ok(['rollout', 'undo', 'sts/ord']);
    assert.match(undo, /statefulset.apps\/ord rolled back/);
    await eventually(async () => (await versions()).join() === 'ord-0:1,ord-1:1,ord-2:1', { timeoutMs: 60_000, what: 'ord-2 back on version 1' });
    await ok(['rollout', 'status', 'sts/ord', '--timeout=90s'], 100_000);
    const back = await json<StatefulSet>(['get', 'sts', 'ord']);
    assert.equal(back.status?.currentRevision, back.status?.updateRevision, 'every pod on the same revision again');
    const revs = (await json<{ items: ControllerRevision[] }>(['get', 'controllerrevisions'])).items;
    assert.equal(revs.find((r) => r.metadata.name === back.status?.updateRevision)?.revision, 3, 'the old revision is renumbered, not copied');
    const crTable = await ok(['get', 'controllerrevisions']);
    assert.match(crTable, /^NAME\s+CONTROLLER\s+REVISION\s+AGE\n/);
    assert.match(crTable, /statefulset\.apps\/ord\s+3\s/);

    // Restart with no partition replaces every pod, highest ordinal first.
    await ok(['patch', 'sts', 'ord', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']);
    const uids = new Map((await pods('app=ord')).map((p) => [p.metadata.name, p.metadata.uid]));
    await ok(['rollout', 'restart', 'sts/ord']);
    // kubectl reports a set with a partition (0, as defaulted) as "partitioned", as it does against Kubernetes.
    const done = await ok(['rollout', 'status', 'sts/ord', '--timeout=120s'], 130_000);
    assert.match(done, /partitioned roll out complete: 3 new pods have been updated/);
    const now = await pods('app=ord');
    assert.ok(now.every((p) => uids.get(p.metadata.name) !== p.metadata.uid), 'every pod replaced');
    const events = (await json<{ items: Event[] }>(['get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet,involvedObject.name=ord'])).items;
    const messages = events.map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`);
    assert.ok(messages.includes('SuccessfulCreate: create Pod ord-0 in StatefulSet ord successful'), messages.join('\n'));
    assert.ok(messages.includes('SuccessfulDelete: delete Pod ord-2 in StatefulSet ord successful'), messages.join('\n'));
    assert.ok(messages.includes('SuccessfulCreate: create Claim data-ord-0 Pod ord-0 in StatefulSet ord success'), messages.join('\n'));
    const describe = await ok(['describe', 'sts', 'ord']);
    assert.match(describe, /create Pod ord-1 in StatefulSet ord successful/);
  });

  it('persistentVolumeClaimRetentionPolicy Delete: claims go with scaled-down pods and with the set', async () => {
    await ok(['apply', '-f', fixture('statefulset-retention.yaml')]);
    await readyCount('tmp', 2);
    const claims = async (): Promise<string[]> => (await json<{ items: PersistentVolumeClaim[] }>(['get', 'pvc', '-l', 'app=tmp'])).items
      .filter((c) => !c.metadata.deletionTimestamp).map((c) => c.metadata.name ?? '').sort();
    assert.deepEqual(await claims(), ['scratch-tmp-0', 'scratch-tmp-1']);
    await ok(['scale', 'sts', 'tmp', '--replicas=1']);
    await eventually(async () => (await claims()).join() === 'scratch-tmp-0', { timeoutMs: 60_000, what: 'the claim of tmp-1 deleted with its pod' });
    await ok(['delete', 'sts', 'tmp']);
    await eventually(async () => (await claims()).length === 0, { timeoutMs: 60_000, what: 'the last claim deleted with the set' });
  });

  it('applies the documentation\'s web.yaml unchanged; with a command added, nginx\'s place is taken by a local server', async () => {
    await ok(['apply', '-f', fixture('k8s-docs/web.yaml')]);
    const web0 = await eventually(async () => (await pods('app=nginx')).find((p) => p.metadata.name === 'web-0'), { timeoutMs: 30_000, what: 'web-0' });
    assert.equal(web0.spec.subdomain, 'nginx');
    await eventually(async () => (await json<PersistentVolumeClaim>(['get', 'pvc', 'www-web-0'])).status?.phase === 'Bound', { timeoutMs: 30_000, what: 'www-web-0 bound' });
    // The nginx image cannot run as a local process, so web-0 never gets ready and web-1 is never made (OrderedReady).
    await eventually(async () => (await pods('app=nginx')).find((p) => p.metadata.name === 'web-0')?.status?.containerStatuses?.[0]?.state?.waiting, { timeoutMs: 30_000, what: 'web-0 waiting on its image' });
    assert.deepEqual((await pods('app=nginx')).map((p) => p.metadata.name), ['web-0']);

    // The test adds a command (a Python server in nginx's place, serving the claim's directory). As in
    // Kubernetes, a pod that never became ready is not replaced by the rollout: it is deleted by hand.
    const command = ['sh', '-c', 'd="${SKIFF_ROOT:-}/usr/share/nginx/html"; echo "$HOSTNAME" > "$d/index.html"; exec python3 -m http.server 80 --bind "$POD_IP" --directory "$d"'];
    await ok(['patch', 'sts', 'web', '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/spec/template/spec/containers/0/command', value: command }])]);
    const stuck = await json<Pod>(['get', 'pod', 'web-0']);
    await ok(['delete', 'pod', 'web-0', '--wait=false']);
    await eventually(async () => (await pods('app=nginx')).some((p) => p.metadata.name === 'web-0' && p.metadata.uid !== stuck.metadata.uid), { timeoutMs: 60_000, what: 'web-0 recreated' });
    await readyCount('web', 2, 'app=nginx');
    const ready = await pods('app=nginx');
    for (const p of ready) {
      const body = await eventually(async () => {
        const r = await fetch(`http://${p.status?.podIP ?? ''}:80/`).catch(() => undefined);
        return r?.ok ? r.text() : undefined;
      }, { timeoutMs: 20_000, what: `${p.metadata.name ?? ''} serving` });
      assert.equal(body.trim(), p.metadata.name);
    }
    const ep = await json<Endpoints>(['get', 'endpoints', 'nginx']);
    assert.deepEqual((ep.subsets?.[0]?.addresses ?? []).map((a) => a.ip).sort(), ready.map((p) => p.status?.podIP).sort());
    assert.deepEqual((ep.subsets?.[0]?.addresses ?? []).map((a) => a.hostname).sort(), ['web-0', 'web-1'], 'the headless Service publishes each pod\'s hostname');
  });
});
