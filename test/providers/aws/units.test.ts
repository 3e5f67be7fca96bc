/** Pure parts of the AWS provider: config, names, annotations, plans, error translation, templates, EBS inputs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeService } from '../../../providers/conformance/index.js';
import { parseAwsConfig } from '../../../providers/aws/config.js';
import { translateAwsError } from '../../../providers/aws/errors.js';
import { desiredLb, healthCheckOf, lbIntent } from '../../../providers/aws/lb-model.js';
import { planActions } from '../../../providers/aws/lb-plan.js';
import type { Observed } from '../../../providers/aws/lb-plan.js';
import { instanceIdOf, parseKeyValues, targetGroupName } from '../../../providers/aws/mapping.js';
import { nodeTemplate } from '../../../providers/aws/nodegroup-mapping.js';
import { createVolumeInput, freeDevice } from '../../../providers/aws/volume-mapping.js';
import { isCloudError } from '../../../core/cloud/index.js';
import type { Node } from '../../../core/api/index.js';

const A = 'service.beta.kubernetes.io/aws-load-balancer-';

test('aws config: keys, defaults and rejections', () => {
  const cases: { description: string; raw: Record<string, unknown>; want?: Partial<ReturnType<typeof parseAwsConfig>>; rejects?: boolean }[] = [
    { description: 'empty uses the cluster name and defaults', raw: {}, want: { clusterName: 'c', maxAttempts: 5, instanceCacheSeconds: 10, endpoints: {} } },
    { description: 'endpoints and region', raw: { region: 'eu-west-1', endpoints: { ec2: 'http://x' } }, want: { region: 'eu-west-1', endpoints: { ec2: 'http://x' } } },
    { description: 'an unknown key fails loudly', raw: { regoin: 'x' }, rejects: true },
    { description: 'subnetIds must be strings', raw: { subnetIds: [1] }, rejects: true },
  ];
  for (const c of cases) {
    if (c.rejects) assert.throws(() => parseAwsConfig(c.raw, 'c'), (e: unknown) => isCloudError(e, 'InvalidArgument'), c.description);
    else assert.deepEqual({ ...parseAwsConfig(c.raw, 'c'), ...c.want }, parseAwsConfig(c.raw, 'c'), c.description);
  }
});

test('aws errors: SDK error codes become CloudError codes', () => {
  const cases: { description: string; err: Record<string, unknown>; code: string; retryable: boolean }[] = [
    { description: 'EC2 throttling', err: { name: 'RequestLimitExceeded' }, code: 'Throttled', retryable: true },
    { description: 'ELB throttling', err: { name: 'Throttling' }, code: 'Throttled', retryable: true },
    { description: 'a 500', err: { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }, code: 'Transient', retryable: true },
    { description: 'a missing volume', err: { name: 'InvalidVolume.NotFound' }, code: 'NotFound', retryable: false },
    { description: 'a dependency still there', err: { name: 'DependencyViolation' }, code: 'Conflict', retryable: true },
    { description: 'a duplicate name', err: { name: 'DuplicateLoadBalancerName' }, code: 'AlreadyExists', retryable: false },
    { description: 'no permission', err: { name: 'UnauthorizedOperation' }, code: 'Unauthorized', retryable: false },
    { description: 'a client timeout', err: { name: 'TimeoutError', message: 'Connection timed out' }, code: 'Transient', retryable: true },
  ];
  for (const c of cases) {
    const e = translateAwsError(Object.assign(new Error(String(c.err.message ?? 'x')), c.err));
    assert.ok(isCloudError(e), c.description);
    assert.deepEqual([e.code, e.retryable], [c.code, c.retryable], c.description);
  }
});

test('aws mapping: names, provider IDs, tag lists', () => {
  const svc = makeService({ name: 'a-very-long-service-name', port: 80, uid: '12345678-1234-1234-1234-123456789012' });
  const tg = targetGroupName(svc, 'TCP/80/31080');
  assert.ok(tg.length <= 32 && tg.startsWith('k8s-conforma-averylon-'), tg);
  assert.notEqual(tg, targetGroupName(svc, 'TCP/81/31080'), 'the port is part of the name');
  const ids: [string | undefined, string | undefined][] = [['aws:///us-east-1a/i-0abc', 'i-0abc'], ['aws://i-0abc', 'i-0abc'], ['fake://x', undefined], [undefined, undefined]];
  for (const [pid, want] of ids) assert.equal(instanceIdOf(pid), want, String(pid));
  assert.deepEqual(parseKeyValues('a=1, b = x=y ,,c'), { a: '1', b: 'x=y', c: '' });
});

test('aws load balancer: annotations choose scheme, subnets and health check', () => {
  const cases: { description: string; ann: Record<string, string>; scheme: string; hc?: Partial<ReturnType<typeof healthCheckOf>>; rejects?: boolean }[] = [
    { description: 'defaults: internet-facing, TCP traffic-port', ann: {}, scheme: 'internet-facing', hc: { protocol: 'TCP', port: 'traffic-port', intervalSeconds: 10 } },
    { description: 'internal annotation', ann: { [`${A}internal`]: 'true' }, scheme: 'internal' },
    { description: 'scheme annotation', ann: { [`${A}scheme`]: 'internal' }, scheme: 'internal' },
    { description: 'internal=false stays public', ann: { [`${A}internal`]: 'false' }, scheme: 'internet-facing' },
    { description: 'HTTP health check gets a path', ann: { [`${A}healthcheck-protocol`]: 'http' }, scheme: 'internet-facing', hc: { protocol: 'HTTP', path: '/' } },
    { description: 'classic ELBs are not supported', ann: { [`${A}type`]: 'elb' }, scheme: '', rejects: true },
    { description: 'a bad interval', ann: { [`${A}healthcheck-interval`]: 'soon' }, scheme: '', rejects: true },
  ];
  for (const c of cases) {
    const svc = makeService({ name: 's', port: 80, annotations: c.ann });
    if (c.rejects) {
      assert.throws(() => { lbIntent(svc); healthCheckOf(svc); }, (e: unknown) => isCloudError(e, 'InvalidArgument'), c.description);
      continue;
    }
    assert.equal(lbIntent(svc).scheme, c.scheme, c.description);
    const hc = healthCheckOf(svc);
    assert.deepEqual({ ...hc, ...c.hc }, hc, c.description);
  }
});

const node = (name: string, id: string, extra: Record<string, string> = {}): Node => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name, labels: extra }, spec: { providerID: `aws:///us-east-1a/${id}` },
});

test('aws load balancer plan: from nothing, steady, and a changed port', () => {
  const svc = makeService({ name: 's', port: 80, nodePort: 31080 });
  const ctx = { cluster: 'c', subnets: ['subnet-b', 'subnet-a'], vpcCidr: '10.0.0.0/16', nodeGroups: { 'i-1': 'sg-1', 'i-2': 'sg-1' } };
  const nodes = [node('a', 'i-1'), node('b', 'i-2'), node('x', 'i-3', { 'node.kubernetes.io/exclude-from-external-load-balancers': '' })];
  const want = desiredLb(svc, nodes, ctx);
  assert.deepEqual(want.targets, ['i-1', 'i-2'], 'excluded node left out');
  assert.deepEqual(want.subnets, ['subnet-a', 'subnet-b']);
  assert.deepEqual(want.rules.map((r) => r.cidr).sort(), ['0.0.0.0/0', '10.0.0.0/16']);
  const empty: Observed = { lbs: [], tgs: [], listeners: [], rules: [] };
  assert.deepEqual(planActions(want, empty).map((a) => a.kind), ['createLb', 'createTg', 'register', 'createListener', 'authorize', 'authorize']);
  const tg = want.tgs[0];
  assert.ok(tg);
  const steady: Observed = {
    lbs: [{ arn: 'lb', name: want.name, scheme: 'internet-facing', dnsName: 'd', subnets: ['subnet-b', 'subnet-a'], tags: want.tags }],
    tgs: [{ arn: 'tg', name: tg.name, protocol: 'TCP', port: 31080, healthCheck: tg.healthCheck, tags: want.tags, targets: ['i-1', 'i-2'] }],
    listeners: [{ arn: 'l80', port: 80, protocol: 'TCP', tgArn: 'tg' }],
    rules: want.rules.map((r, i) => ({ ...r, id: `sgr-${i}` })),
  };
  assert.deepEqual(planActions(want, steady), [], 'steady state plans nothing');
  const dup: Observed = { ...steady, listeners: [...steady.listeners, { arn: 'l80b', port: 80, protocol: 'TCP', tgArn: 'tg' }] };
  assert.deepEqual(planActions(want, dup).map((a) => a.kind), ['deleteListener'], 'a duplicate listener is removed');
  const moved = desiredLb({ ...svc, spec: { ...svc.spec, ports: [{ name: 'web', protocol: 'TCP', port: 8080, nodePort: 31080 }] } }, nodes, ctx);
  assert.deepEqual(planActions(moved, steady).map((a) => a.kind), ['createTg', 'register', 'deleteListener', 'createListener', 'deleteTg']);
  const internal = desiredLb({ ...svc, metadata: { ...svc.metadata, annotations: { [`${A}internal`]: 'true' } } }, nodes, ctx);
  assert.deepEqual(planActions(internal, steady).map((a) => a.kind).slice(0, 2), ['deleteLb', 'createLb'], 'a scheme change replaces the NLB');
});

test('aws node templates from ASG tags and instance types', () => {
  const t = nodeTemplate({
    'k8s.io/cluster-autoscaler/node-template/label/pool': 'gpu',
    'k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu': 'present:NoExecute',
    'k8s.io/cluster-autoscaler/node-template/resources/ephemeral-storage': '100Gi',
  }, 'g4dn.xlarge', 'us-east-1b');
  assert.deepEqual(t.capacity, { pods: '110', cpu: '4', memory: '16384Mi', 'nvidia.com/gpu': '1', 'ephemeral-storage': '100Gi' });
  assert.equal(t.labels.pool, 'gpu');
  assert.deepEqual(t.taints, [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoExecute' }]);
  assert.deepEqual(nodeTemplate({}, 'unknown.type', undefined).capacity, { pods: '110' }, 'an unknown type has no cpu/memory guess');
});

test('aws EBS inputs and device names', () => {
  const cases: { description: string; params: Record<string, string>; size: number; want: Record<string, unknown> }[] = [
    { description: 'default gp3, rounded up to 1 GiB', params: {}, size: 1, want: { VolumeType: 'gp3', Size: 1 } },
    { description: 'io2 with iops', params: { type: 'io2', iops: '1000' }, size: 10 * 1024 ** 3, want: { VolumeType: 'io2', Iops: 1000, Size: 10 } },
    { description: 'a KMS key implies encryption', params: { kmsKeyId: 'k' }, size: 1, want: { KmsKeyId: 'k', Encrypted: true } },
  ];
  for (const c of cases) {
    const input = createVolumeInput({ key: 'pvc-1', sizeBytes: c.size, tags: {}, parameters: c.params }, 'us-east-1a');
    assert.equal(input.ClientToken, 'pvc-1', c.description);
    assert.deepEqual({ ...input, ...c.want }, input, c.description);
  }
  assert.throws(() => createVolumeInput({ key: 'k', sizeBytes: 1, tags: {}, parameters: { type: 'floppy' } }, 'z'), (e: unknown) => isCloudError(e, 'InvalidArgument'));
  assert.equal(freeDevice({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda' }, { DeviceName: '/dev/sdb' }] }), '/dev/xvdc');
});
