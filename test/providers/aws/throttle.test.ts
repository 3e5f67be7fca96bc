/**
 * The AWS throttle back-off: one per account and region, on the injected clock, shared only through an
 * injected `AwsThrottles`, and a closed provider stops listening to it. No moto: the fault proxy answers
 * the throttles itself; other requests reach a stub EC2 that knows no instance.
 */
import { test, after, before } from 'node:test';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { makeNode } from '../../../providers/conformance/index.js';
import { AwsThrottles, createAwsProvider } from '../../../providers/aws/index.js';
import type { AwsProvider } from '../../../providers/aws/index.js';
import type { Clock } from '../../../core/util/index.js';
import { FakeClock, silentLogger } from '../../../core/util/index.js';
import { useFakeAwsCredentials } from '../../support/moto.js';
import { FaultProxy } from './fault-proxy.js';
import { until } from '../../core/cloud/support.js';

const signal = new AbortController().signal;
const node = { ...makeNode('n1'), spec: { providerID: 'aws:///us-east-1a/i-0123456789abcdef0' } };
let proxy: FaultProxy;
let ec2: Server;
const made: AwsProvider[] = [];

before(async () => {
  useFakeAwsCredentials();
  ec2 = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/xml' }).end('<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet/></DescribeInstancesResponse>'));
  await new Promise<void>((r) => ec2.listen(0, '127.0.0.1', () => r()));
  const addr = ec2.address();
  proxy = new FaultProxy(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
  await proxy.start();
});
after(async () => {
  await Promise.all(made.map((p) => p.close()));
  await proxy.stop();
  await new Promise((r) => ec2.close(r));
});

/** A FakeClock that records each sleep it is asked for. */
function recordingClock(): { clock: Clock; fake: FakeClock; sleeps: number[] } {
  const fake = new FakeClock(0);
  const sleeps: number[] = [];
  const clock: Clock = { now: () => fake.now(), sleep: (ms, s) => { sleeps.push(ms); return fake.sleep(ms, s); } };
  return { clock, fake, sleeps };
}

function provider(clock: Clock, extra: { throttles?: AwsThrottles; metrics?: Registry } = {}): AwsProvider {
  const cloudConfig = { region: 'us-east-1', endpoints: { ec2: proxy.endpoint, elbv2: proxy.endpoint, autoscaling: proxy.endpoint }, maxAttempts: 1, requestTimeoutSeconds: 2, instanceCacheSeconds: 0 };
  const p = createAwsProvider({ cloudConfig, clusterName: 'c', dataDir: '/nonexistent', log: silentLogger, clock, ...extra });
  made.push(p);
  return p;
}

async function throttledCall(p: AwsProvider): Promise<void> {
  proxy.inject({ action: 'DescribeInstances', fault: 'throttle', times: 1 });
  await assert.rejects(p.instances?.exists(node, signal) ?? Promise.resolve(), /Rate exceeded|Throttl/);
}

const reached = (): number => proxy.of('DescribeInstances').length;

test('providers wired apart keep their own back-off and clock: one throttled does not stall the other', async () => {
  proxy.clear();
  const a = recordingClock();
  const b = recordingClock();
  const pa = provider(a.clock);
  const pb = provider(b.clock);
  await throttledCall(pa);
  // b's call goes straight out, with no sleep on anyone's clock.
  assert.equal(await pb.instances?.exists(node, signal), false);
  assert.equal(reached(), 2);
  assert.deepEqual(b.sleeps, []);
  assert.deepEqual(a.sleeps, []);
});

test('providers given one AwsThrottles share the back-off for the account and region, on its clock', async () => {
  proxy.clear();
  const shared = recordingClock();
  const throttles = new AwsThrottles({ clock: shared.clock, baseMs: 100 });
  const own = recordingClock();
  const pc = provider(own.clock, { throttles });
  const pd = provider(own.clock, { throttles });
  await throttledCall(pc);
  const settled = pd.instances?.exists(node, signal);
  await until('d waits on the shared back-off', async () => shared.sleeps.length === 1);
  assert.equal(shared.sleeps[0], 100);
  assert.equal(reached(), 1, 'd has not called AWS while backing off');
  assert.deepEqual(own.sleeps, [], 'the providers\' own clock is not the throttle\'s');
  await shared.fake.advance(100);
  await until('d reached AWS after the back-off', async () => reached() === 2);
  assert.equal(await settled, false);
});

test('a closed provider stops updating its throttle metrics', async () => {
  proxy.clear();
  const c = recordingClock();
  const throttles = new AwsThrottles({ clock: c.clock, baseMs: 1 });
  const r1 = new Registry();
  const r2 = new Registry();
  const first = provider(c.clock, { throttles, metrics: r1 });
  await throttledCall(first);
  const count = async (r: Registry): Promise<string> => (await r.metrics()).match(/skiff_aws_throttled_requests_total (\d+)/)?.[1] ?? 'none';
  assert.equal(await count(r1), '1');
  await first.close();
  const second = provider(c.clock, { throttles, metrics: r2 });
  const call = throttledCall(second);
  await until('second backs off', async () => c.sleeps.length === 1);
  await c.fake.advance(1);
  await call;
  assert.equal(await count(r2), '1');
  assert.equal(await count(r1), '1', 'the closed provider\'s registry saw nothing more');
});
