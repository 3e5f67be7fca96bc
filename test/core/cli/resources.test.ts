/** Resolving what the user typed to a resource: a core name needs only `/api/v1`, others the whole discovery. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceInfo } from '../../../core/client/index.js';
import { findResource } from '../../../core/cli/resources.js';

const res = (apiVersion: string, plural: string, kind: string, shortNames: string[] = []): ResourceInfo => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') as [string, string] : ['', apiVersion];
  return { apiVersion, group, version, plural, kind, namespaced: true, verbs: ['get', 'list'], shortNames, subresources: [] };
};
const core = [res('v1', 'pods', 'Pod', ['po']), res('v1', 'events', 'Event', ['ev'])];
const all = [...core, res('apps/v1', 'deployments', 'Deployment', ['deploy']), res('events.k8s.io/v1', 'events', 'Event', ['ev'])];

/** A client that records which discovery it was asked for. */
function client() {
  const calls: string[] = [];
  return {
    calls,
    groupVersionResources: async (gv: string) => { calls.push(`group ${gv}`); return gv === 'v1' ? core : []; },
    serverResources: async () => { calls.push('all'); return all; },
  };
}

describe('findResource', () => {
  for (const c of [
    { desc: 'a core plural reads /api/v1 only', name: 'pods', want: 'v1/pods', calls: ['group v1'] },
    { desc: 'a core short name reads /api/v1 only', name: 'po', want: 'v1/pods', calls: ['group v1'] },
    { desc: 'a name in both core and a group is core\'s, as kubectl resolves it', name: 'events', want: 'v1/events', calls: ['group v1'] },
    { desc: 'a name core lacks reads the whole discovery', name: 'deploy', want: 'apps/v1/deployments', calls: ['group v1', 'all'] },
    { desc: 'a name with a group skips the core shortcut', name: 'events.events.k8s.io', want: 'events.k8s.io/v1/events', calls: ['all'] },
  ]) {
    it(c.desc, async () => {
      const k = client();
      const r = await findResource(k, c.name);
      assert.equal(`${r.apiVersion}/${r.plural}`, c.want);
      assert.deepEqual(k.calls, c.calls);
    });
  }

  it('an unknown name is kubectl\'s error', async () => {
    await assert.rejects(findResource(client(), 'widgets'), /the server doesn't have a resource type "widgets"/);
  });
});
