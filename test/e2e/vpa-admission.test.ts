/** VPA's admission through a real `skiff up`: pods created for a target in mode Initial get the recommended requests. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Pod } from '../../core/api/index.js';
import { eventually, kubectlFor, startSkiff, type RunningSkiff } from '../support/skiff.js';

describe('VPA admission', () => {
  let skiff: RunningSkiff;
  let kubectl: ReturnType<typeof kubectlFor>;
  before(async () => {
    // No nodes: pods stay Pending, so no usage reaches the recommender and the recommendation below stays as written.
    skiff = await startSkiff({ args: ['--nodes', '0'] });
    kubectl = kubectlFor(skiff);
  });
  after(async () => {
    await skiff?.stop();
  });

  it('sets the recommended requests on new pods of the target, and leaves other pods alone', async () => {
    const ok = async (args: string[], input?: string): Promise<string> => {
      const r = await kubectl(args, { input });
      assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    await ok(['apply', '-f', '-'], `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: web
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  updatePolicy: {updateMode: Initial}
`);
    await ok(['patch', 'vpa', 'web', '--subresource=status', '--type=merge', '-p',
      '{"status":{"recommendation":{"containerRecommendations":[{"containerName":"app","target":{"cpu":"321m","memory":"111Mi"},"lowerBound":{"cpu":"100m","memory":"64Mi"},"upperBound":{"cpu":"1","memory":"512Mi"}}]}}}']);
    await ok(['create', 'deployment', 'web', '--image=skiff/echo', '--replicas=1', '--', 'true']);
    await ok(['patch', 'deploy/web', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/name","value":"app"}]']);
    await ok(['create', 'deployment', 'other', '--image=skiff/echo']);
    const pods = await eventually(async () => {
      const list = JSON.parse(await ok(['get', 'pods', '-o', 'json'])) as { items: Pod[] };
      const web = list.items.filter((p) => p.metadata.name?.startsWith('web-') && p.spec.containers[0]?.name === 'app');
      const other = list.items.filter((p) => p.metadata.name?.startsWith('other-'));
      return web.length > 0 && other.length > 0 ? { web, other } : undefined;
    }, { timeoutMs: 20_000, what: 'pods of both deployments' });
    const requests = pods.web[0]?.spec.containers[0]?.resources?.requests;
    assert.equal(requests?.cpu, '321m');
    assert.equal(requests?.memory, '111Mi');
    assert.equal(pods.other[0]?.spec.containers[0]?.resources?.requests, undefined);
  });
});
