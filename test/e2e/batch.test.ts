/**
 * Acceptance for Job and CronJob through the real kubectl against `skiff up`: pods run as local
 * processes, images are informational. The documentation's examples apply unchanged; the `hello`
 * CronJob also runs unchanged (its command is /bin/sh), the `pi` Job runs with its command replaced
 * (see there).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Job, Pod } from '../../core/api/index.js';
import { kubectlFor, repoRoot, startSkiff, type RunningSkiff } from '../support/skiff.js';

const docs = (f: string): string => join(repoRoot, 'test/e2e/fixtures/k8s-docs', f);

describe('Job and CronJob on local nodes, through kubectl', () => {
  let skiff: RunningSkiff;
  let kubectl: ReturnType<typeof kubectlFor>;

  before(async () => {
    skiff = await startSkiff({ args: ['--nodes', '1'] });
    kubectl = kubectlFor(skiff);
  });
  after(async () => {
    await skiff?.stop();
  });

  async function ok(args: string[], input?: string, timeoutMs = 60_000): Promise<string> {
    const r = await kubectl(args, { input, timeoutMs });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  }
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await ok([...args, '-o', 'json'])) as T;

  it('both kinds appear in kubectl api-resources (cj as the CronJob short name)', async () => {
    const out = await ok(['api-resources', '--api-group=batch', '--no-headers']);
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/));
    assert.deepEqual(rows.map((r) => r[0]).sort(), ['cronjobs', 'jobs']);
    assert.deepEqual(rows.find((r) => r[0] === 'cronjobs')?.slice(1), ['cj', 'batch/v1', 'true', 'CronJob']);
  });

  it('the docs\' pi Job applies unchanged; with a local command it runs to Complete and logs π', async () => {
    // Accepted unchanged (server-side dry run through the whole pipeline) …
    assert.match(await ok(['apply', '--dry-run=server', '-f', docs('job.yaml')]), /job.batch\/pi created \(server dry run\)/);
    // … but this machine's perl cannot run bpi(2000) (Math::BigInt fails after ~40 s), so the test
    // runs the same manifest with the command swapped for a perl one-liner that prints π.
    const yaml = readFileSync(docs('job.yaml'), 'utf8').replace(/command: .*/, 'command: ["perl", "-le", "printf(qq(%.20f\\n), 4*atan2(1,1))"]');
    await ok(['apply', '-f', '-'], yaml);
    await ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=120s'], undefined, 130_000);
    assert.match(await ok(['logs', 'job/pi']), /^3\.14159265358979/);
    const table = await ok(['get', 'job', 'pi']);
    assert.match(table, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\n/);
    assert.match(table, /\npi\s+Complete\s+1\/1\s+\S+\s+\S+/);
  });

  it('kubectl create job NAME --image=… -- CMD, then kubectl wait --for=condition=complete', async () => {
    await ok(['create', 'job', 'once', '--image=busybox', '--', 'sh', '-c', 'echo ran once']);
    await ok(['wait', '--for=condition=complete', 'job/once', '--timeout=60s'], undefined, 70_000);
    assert.equal((await ok(['logs', 'job/once'])).trim(), 'ran once');
    const job = await json<Job>(['get', 'job', 'once']);
    assert.equal(job.status?.succeeded, 1);
    assert.equal(job.spec.template.metadata?.labels?.['batch.kubernetes.io/job-name'], 'once');
  });

  it('an Indexed Job: completions 5, parallelism 2, each pod sees its own JOB_COMPLETION_INDEX', async () => {
    const manifest = `apiVersion: batch/v1
kind: Job
metadata: {name: indexed}
spec:
  completions: 5
  parallelism: 2
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox
        command: ["sh", "-c", "echo index=$JOB_COMPLETION_INDEX host=$(hostname)"]
`;
    await ok(['apply', '-f', '-'], manifest);
    await ok(['wait', '--for=condition=complete', 'job/indexed', '--timeout=120s'], undefined, 130_000);
    const pods = (await json<{ items: Pod[] }>(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=indexed'])).items;
    assert.equal(pods.length, 5);
    const seen: string[] = [];
    for (const p of pods) {
      const ix = p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] ?? '';
      const log = (await ok(['logs', p.metadata.name ?? ''])).trim();
      assert.match(log, new RegExp(`^index=${ix} `), `${p.metadata.name ?? ''} logged its own index`);
      seen.push(ix);
    }
    assert.deepEqual(seen.sort(), ['0', '1', '2', '3', '4']);
    assert.equal((await json<Job>(['get', 'job', 'indexed'])).status?.completedIndexes, '0-4');
  });

  it('a failing Job stops at backoffLimit: kubectl wait sees Failed, the reason is BackoffLimitExceeded', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: batch/v1
kind: Job
metadata: {name: doomed}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox, command: ["sh", "-c", "exit 3"]}]
`);
    await ok(['wait', '--for=condition=failed', 'job/doomed', '--timeout=90s'], undefined, 100_000);
    const job = await json<Job>(['get', 'job', 'doomed']);
    assert.equal(job.status?.conditions?.find((c) => c.type === 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(job.status?.failed, 2);
  });

  it('the docs\' hello CronJob applies unchanged; kubectl create job --from=cronjob/hello runs it now', async () => {
    await ok(['apply', '-f', docs('cronjob.yaml')]);
    const table = await ok(['get', 'cj', 'hello']);
    assert.match(table, /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\n/);
    assert.match(table, /\nhello\s+\* \* \* \* \*\s+<none>\s+False\s+\d+\s+\S+/);
    await ok(['create', 'job', 'hello-now', '--from=cronjob/hello']);
    const job = await json<Job>(['get', 'job', 'hello-now']);
    assert.equal(job.metadata.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.deepEqual([job.metadata.ownerReferences?.[0]?.kind, job.metadata.ownerReferences?.[0]?.name], ['CronJob', 'hello']);
    await ok(['wait', '--for=condition=complete', 'job/hello-now', '--timeout=60s'], undefined, 70_000);
    assert.match(await ok(['logs', 'job/hello-now']), /Hello from the Kubernetes cluster/);
  });

  it('an invalid schedule or time zone is refused with 422 naming the field', async () => {
    const r = await kubectl(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=61 * * * *', '--', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /spec\.schedule: Invalid value: "61 \* \* \* \*": end of range \(61\) above maximum \(59\): 61/);
    const tz = await kubectl(['apply', '-f', '-'], { input: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: tz}\nspec:\n  schedule: "0 * * * *"\n  timeZone: Mars/Olympus\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: busybox}]\n' });
    assert.notEqual(tz.code, 0);
    assert.match(tz.stderr, /spec\.timeZone: Invalid value: "Mars\/Olympus": unknown time zone Mars\/Olympus/);
  });
});
