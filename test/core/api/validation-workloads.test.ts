import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateDeployment, validatePod, validateReplicaSet } from '../../../core/api/index.js';
import type { Deployment, FieldError, Pod } from '../../../core/api/index.js';
import { edit, makeDeployment, makePod } from './fixtures.js';

interface Case<T> { description: string; change: (o: T) => void; want: [field: string, message?: string][] }

function check(errs: FieldError[], want: [string, string?][]): void {
  assert.deepEqual(errs.map((e) => e.field).sort(), want.map(([f]) => f).sort(), JSON.stringify(errs, null, 1));
  for (const [field, message] of want) {
    if (message === undefined) continue;
    assert.ok(errs.some((e) => e.field === field && e.message === message), `${field}: want ${message}; got ${JSON.stringify(errs)}`);
  }
}

const podCases: Case<Pod>[] = [
  { description: 'a valid pod', change: () => {}, want: [] },
  { description: 'containers required', change: (p) => { p.spec.containers = []; }, want: [['spec.containers', 'Required value']] },
  { description: 'image required', change: (p) => { delete p.spec.containers[0]?.image; }, want: [['spec.containers[0].image', 'Required value']] },
  {
    description: 'duplicate container names across init and app containers',
    change: (p) => { p.spec.initContainers = [{ name: 'app', image: 'busybox' }]; },
    want: [['spec.containers[0].name', 'Duplicate value: "app"']],
  },
  {
    description: 'container name must be a DNS-1123 label',
    change: (p) => { p.spec.containers[0] = { name: 'App_1', image: 'x' }; },
    want: [['spec.containers[0].name', 'Invalid value: "App_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character (e.g. \'my-name\' or \'123-abc\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?\')']],
  },
  { description: 'port out of range', change: (p) => { p.spec.containers[0] = { name: 'a', image: 'x', ports: [{ containerPort: 0 }, { containerPort: 65536 }] }; }, want: [['spec.containers[0].ports[0].containerPort', 'Required value'], ['spec.containers[0].ports[1].containerPort', 'Invalid value: 65536: must be between 1 and 65535, inclusive']] },
  {
    description: 'bad protocol',
    change: (p) => { p.spec.containers[0] = { name: 'a', image: 'x', ports: [{ containerPort: 80, protocol: 'HTTP' as 'TCP' }] }; },
    want: [['spec.containers[0].ports[0].protocol', 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
  },
  {
    description: 'invalid quantity',
    change: (p) => { p.spec.containers[0] = { name: 'a', image: 'x', resources: { requests: { cpu: 'lots' } } }; },
    want: [['spec.containers[0].resources.requests[cpu]']],
  },
  {
    description: 'requests above limits',
    change: (p) => { p.spec.containers[0] = { name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }; },
    want: [['spec.containers[0].resources.requests[cpu]', 'Invalid value: "2": must be less than or equal to cpu limit of 1']],
  },
  {
    description: 'negative quantity',
    change: (p) => { p.spec.containers[0] = { name: 'a', image: 'x', resources: { requests: { memory: '-1Mi' } } }; },
    want: [['spec.containers[0].resources.requests[memory]', 'Invalid value: "-1Mi": must be greater than or equal to 0']],
  },
  {
    description: 'unknown resource name',
    change: (p) => { p.spec.containers[0] = { name: 'a', image: 'x', resources: { limits: { gpu: '1' } } }; },
    want: [['spec.containers[0].resources.limits[gpu]', 'Invalid value: "gpu": must be a standard resource for containers']],
  },
  { description: 'restartPolicy', change: (p) => { p.spec.restartPolicy = 'Sometimes' as 'Always'; }, want: [['spec.restartPolicy', 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']] },
  {
    description: 'volume mount of an unknown volume',
    change: (p) => { p.spec.containers[0] = { name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/data' }] }; },
    want: [['spec.containers[0].volumeMounts[0].name', 'Not found: "data"']],
  },
  {
    description: 'volume without a source',
    change: (p) => { p.spec.volumes = [{ name: 'data' }]; },
    want: [['spec.volumes[0]', 'Required value: must specify a volume type']],
  },
  {
    description: 'probe without a handler and with liveness successThreshold 2',
    change: (p) => { p.spec.containers[0] = { name: 'a', image: 'x', livenessProbe: { successThreshold: 2 } }; },
    want: [['spec.containers[0].livenessProbe', 'Required value: must specify a handler type'], ['spec.containers[0].livenessProbe.successThreshold', 'Invalid value: 2: must be 1']],
  },
  { description: 'namespace required', change: (p) => { delete p.metadata.namespace; }, want: [['metadata.namespace', 'Required value']] },
  { description: 'name or generateName', change: (p) => { delete p.metadata.name; }, want: [['metadata.name', 'Required value: name or generateName is required']] },
  { description: 'generateName is enough', change: (p) => { delete p.metadata.name; p.metadata.generateName = 'web-'; }, want: [] },
  {
    description: 'bad label key',
    change: (p) => { p.metadata.labels = { 'bad key': 'x' }; },
    want: [['metadata.labels']],
  },
  {
    description: 'bad name',
    change: (p) => { p.metadata.name = 'Web'; },
    want: [['metadata.name', 'Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')']],
  },
  { description: 'toleration Exists with value', change: (p) => { p.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]; }, want: [['spec.tolerations[0].operator']] },
];

describe('validatePod', () => {
  for (const c of podCases) test(c.description, () => check(validatePod(edit(makePod(), c.change)), c.want));
  test('updates may change images but not commands', () => {
    const old = makePod();
    assert.deepEqual(validatePod(edit(old, (p) => { if (p.spec.containers[0]) p.spec.containers[0].image = 'nginx:1.28'; }), old), []);
    const errs = validatePod(edit(old, (p) => { if (p.spec.containers[0]) p.spec.containers[0].command = ['sh']; }), old);
    assert.equal(errs[0]?.field, 'spec');
  });
  test('nodeName may be set once (binding) but not moved', () => {
    const pending = makePod();
    const bound = edit(pending, (p) => { p.spec.nodeName = 'node-a'; });
    assert.deepEqual(validatePod(bound, pending), []);
    check(validatePod(edit(bound, (p) => { p.spec.nodeName = 'node-b'; }), bound), [['spec.nodeName', 'Forbidden: may not be changed once set']]);
  });
  test('resources may be resized in place', () => {
    const old = makePod();
    assert.deepEqual(validatePod(edit(old, (p) => { if (p.spec.containers[0]) p.spec.containers[0].resources = { requests: { cpu: '200m' } }; }), old), []);
  });
});

const deploymentCases: Case<Deployment>[] = [
  { description: 'a valid deployment', change: () => {}, want: [] },
  { description: 'negative replicas', change: (d) => { d.spec.replicas = -1; }, want: [['spec.replicas', 'Invalid value: -1: must be greater than or equal to 0']] },
  { description: 'selector required', change: (d) => { delete (d.spec as Partial<Deployment['spec']>).selector; }, want: [['spec.selector', 'Required value']] },
  { description: 'empty selector', change: (d) => { d.spec.selector = {}; }, want: [['spec.selector']] },
  {
    description: 'selector must match template labels',
    change: (d) => { d.spec.selector = { matchLabels: { app: 'api' } }; },
    want: [['spec.template.metadata.labels', 'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`']],
  },
  { description: 'template image required', change: (d) => { delete d.spec.template.spec.containers[0]?.image; }, want: [['spec.template.spec.containers[0].image', 'Required value']] },
  {
    description: 'template resources',
    change: (d) => { const c = d.spec.template.spec.containers[0]; if (c?.resources?.requests) c.resources.requests.cpu = '1.5.5'; },
    want: [['spec.template.spec.containers[0].resources.requests[cpu]']],
  },
  { description: 'template restartPolicy must be Always', change: (d) => { d.spec.template.spec.restartPolicy = 'Never'; }, want: [['spec.template.spec.restartPolicy', 'Unsupported value: "Never": supported values: "Always"']] },
  { description: 'strategy type', change: (d) => { d.spec.strategy = { type: 'BlueGreen' as 'Recreate' }; }, want: [['spec.strategy.type', 'Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"']] },
  {
    description: 'maxSurge and maxUnavailable both zero',
    change: (d) => { d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }; },
    want: [['spec.strategy.rollingUpdate.maxUnavailable', 'Invalid value: "0%": may not be 0 when `maxSurge` is 0']],
  },
  { description: 'percent above 100', change: (d) => { d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '150%' } }; }, want: [['spec.strategy.rollingUpdate.maxSurge', 'Invalid value: "150%": must not be greater than 100%']] },
  { description: 'Recreate with rollingUpdate', change: (d) => { d.spec.strategy = { type: 'Recreate', rollingUpdate: {} }; }, want: [['spec.strategy.rollingUpdate']] },
  { description: 'progressDeadlineSeconds vs minReadySeconds', change: (d) => { d.spec.minReadySeconds = 30; d.spec.progressDeadlineSeconds = 10; }, want: [['spec.progressDeadlineSeconds', 'Invalid value: 10: must be greater than minReadySeconds']] },
  {
    description: 'duplicate container names',
    change: (d) => { d.spec.template.spec.containers.push({ name: 'app', image: 'x' }); },
    want: [['spec.template.spec.containers[1].name', 'Duplicate value: "app"']],
  },
];

describe('validateDeployment', () => {
  for (const c of deploymentCases) test(c.description, () => check(validateDeployment(edit(makeDeployment(), c.change)), c.want));
  test('selector is immutable on update', () => {
    const old = makeDeployment();
    const next = edit(old, (d) => {
      d.spec.selector = { matchLabels: { app: 'web', tier: 'x' } };
      if (d.spec.template.metadata?.labels) d.spec.template.metadata.labels.tier = 'x';
    });
    check(validateDeployment(next, old), [['spec.selector']]);
  });
});

describe('validateReplicaSet', () => {
  test('requires a template and matching selector', () => {
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'd' }, spec: { selector: { matchLabels: { a: 'b' } } } };
    check(validateReplicaSet(rs), [['spec.template', 'Required value']]);
  });
  test('a valid replicaset', () => {
    const d = makeDeployment();
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'd' }, spec: { replicas: 1, selector: d.spec.selector, template: d.spec.template } };
    assert.deepEqual(validateReplicaSet(rs), []);
  });
});

describe('node affinity', () => {
  const withTerm = (expr: Record<string, unknown>): Pod => edit(makePod(), (p) => {
    p.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr as never] }] } } };
  });
  const base = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]';
  const cases: { description: string; expr: Record<string, unknown>; want: [string, string?][] }[] = [
    { description: 'valid In', expr: { key: 'zone', operator: 'In', values: ['a'] }, want: [] },
    { description: 'In needs values', expr: { key: 'zone', operator: 'In' }, want: [[`${base}.values`]] },
    { description: 'Gt needs one integer', expr: { key: 'cpu', operator: 'Gt', values: ['x'] }, want: [[`${base}.values[0]`, 'Invalid value: "x": must be an integer']] },
    { description: 'Exists takes no values', expr: { key: 'gpu', operator: 'Exists', values: ['1'] }, want: [[`${base}.values`]] },
    { description: 'unknown operator', expr: { key: 'gpu', operator: 'Near' }, want: [[`${base}.operator`, 'Unsupported value: "Near": supported values: "DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"']] },
  ];
  for (const c of cases) test(c.description, () => check(validatePod(withTerm(c.expr)), c.want));
  test('preferred weight range', () => {
    const p = edit(makePod(), (x) => { x.spec.affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } }; });
    check(validatePod(p), [['spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', 'Invalid value: 0: must be in the range 1-100']]);
  });
});
