/** batch/v1 through the API server: the Job's generated selector, 422s naming the field, Table columns, discovery. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, rfc3339 } from '../../../core/util/index.js';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const start = Date.UTC(2026, 0, 1);
const jobs = '/apis/batch/v1/namespaces/default/jobs';
const cronjobs = '/apis/batch/v1/namespaces/default/cronjobs';
const podTemplate = (restartPolicy: string) => ({ spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 0'] }], restartPolicy } });

describe('batch/v1 through the API server', () => {
  let h: Harness;
  const clock = new FakeClock(start);
  before(async () => {
    h = await startServer({ clock });
    await createNamespace(h, 'default');
  });
  after(async () => { await h.close(); });

  test('a created Job has the generated selector and labels of 1.32, with its own uid', async () => {
    const r = await h.req('POST', jobs, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' }, spec: { template: podTemplate('Never') } });
    assert.equal(r.status, 201, r.text);
    const uid = r.body.metadata.uid as string;
    assert.ok(uid);
    assert.deepEqual(r.body.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const want = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
    assert.deepEqual(r.body.spec.template.metadata.labels, want);
    assert.deepEqual(r.body.metadata.labels, want);
    assert.deepEqual([r.body.spec.completions, r.body.spec.parallelism, r.body.spec.backoffLimit], [1, 1, 6]);
    const got = await h.req('GET', `${jobs}/pi`);
    assert.deepEqual(got.body.spec.selector, r.body.spec.selector, 'what was stored is what was answered');
  });

  test('a Job whose template restarts Always is refused with Kubernetes\' message', async () => {
    const r = await h.req('POST', jobs, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'bad' }, spec: { template: podTemplate('Always') } });
    assert.equal(r.status, 422);
    assert.equal(r.body.reason, 'Invalid');
    assert.deepEqual(r.body.details.causes.map((c: { field: string }) => c.field), ['spec.template.spec.restartPolicy']);
    assert.match(r.body.message, /spec\.template\.spec\.restartPolicy: Required value: valid values: "OnFailure", "Never"/);
  });

  for (const c of [
    { field: 'spec.schedule', spec: { schedule: '61 * * * *' }, message: /spec\.schedule: Invalid value: "61 \* \* \* \*": end of range \(61\) above maximum \(59\): 61/ },
    { field: 'spec.timeZone', spec: { schedule: '* * * * *', timeZone: 'Nowhere/City' }, message: /spec\.timeZone: Invalid value: "Nowhere\/City": unknown time zone Nowhere\/City/ },
    { field: 'spec.schedule', spec: { schedule: 'CRON_TZ=Europe/Paris * * * * *' }, message: /cannot use TZ or CRON_TZ in schedule, use timeZone field instead/ },
  ]) {
    test(`a CronJob with a bad ${c.field} → 422 naming it`, async () => {
      const r = await h.req('POST', cronjobs, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { ...c.spec, jobTemplate: { spec: { template: podTemplate('OnFailure') } } } });
      assert.equal(r.status, 422, r.text);
      assert.deepEqual(r.body.details.causes.map((x: { field: string }) => x.field), [c.field]);
      assert.match(r.body.message, c.message);
    });
  }

  test('Job table: NAME STATUS COMPLETIONS DURATION AGE', async () => {
    const r = await h.req('POST', jobs, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'par' }, spec: { completions: 5, parallelism: 2, template: podTemplate('Never') } });
    assert.equal(r.status, 201, r.text);
    const status = { startTime: rfc3339(start), completionTime: rfc3339(start + 65_000), succeeded: 5, conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] };
    const put = await h.req('PUT', `${jobs}/par/status`, { ...r.body, status });
    assert.equal(put.status, 200, put.text);
    await clock.advance(120_000);
    const t = await h.req('GET', `${jobs}/par`, undefined, { Accept: tableAccept });
    const cols = (t.body.columnDefinitions as { name: string; priority: number }[]).filter((d) => d.priority === 0).map((d) => d.name.toUpperCase());
    assert.deepEqual(cols, ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    assert.deepEqual(t.body.rows[0].cells.slice(0, 5), ['par', 'Complete', '5/5', '65s', '2m']);
  });

  test('CronJob table: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', async () => {
    const r = await h.req('POST', cronjobs, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hello' }, spec: { schedule: '*/5 * * * *', timeZone: 'Europe/Paris', jobTemplate: { spec: { template: podTemplate('OnFailure') } } } });
    assert.equal(r.status, 201, r.text);
    const t = await h.req('GET', `${cronjobs}/hello`, undefined, { Accept: tableAccept });
    const cols = (t.body.columnDefinitions as { name: string; priority: number }[]).filter((d) => d.priority === 0).map((d) => d.name.toUpperCase());
    assert.deepEqual(cols, ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    assert.deepEqual(t.body.rows[0].cells.slice(0, 6), ['hello', '*/5 * * * *', 'Europe/Paris', 'False', 0, '<none>']);
  });

  test('discovery lists jobs and cronjobs (short name cj, category all) with status subresources', async () => {
    const r = await h.req('GET', '/apis/batch/v1');
    const names = (r.body.resources as { name: string; shortNames?: string[]; categories?: string[] }[]);
    assert.deepEqual(names.map((x) => x.name).sort(), ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']);
    assert.deepEqual(names.find((x) => x.name === 'cronjobs')?.shortNames, ['cj']);
    assert.deepEqual(names.find((x) => x.name === 'jobs')?.categories, ['all']);
  });
});
