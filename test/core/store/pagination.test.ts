import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, type KubeObject } from '../../../core/api/index.js';
import type { ListOptions, ObjectStore } from '../../../core/store/index.js';
import { backendKinds, deployments, makeDeployment, makeStore } from './helpers.js';

/** Follows continue tokens to the end; returns the names per page and the resourceVersion per page. */
async function pages(store: ObjectStore, opts: ListOptions, between?: (page: number) => Promise<void>): Promise<{ names: string[][]; rvs: string[] }> {
  const names: string[][] = [];
  const rvs: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.list(deployments, token ? { ...opts, continue: token } : opts);
    names.push(page.items.map((o) => o.metadata.name ?? ''));
    rvs.push(page.resourceVersion);
    token = page.continue;
    if (token && between) await between(names.length);
  } while (token);
  return { names, rvs };
}

const odd = (o: KubeObject): boolean => Number((o.spec as { replicas?: number } | undefined)?.replicas) % 2 === 1;

for (const kind of backendKinds) {
  describe(`list pagination on ${kind.name}`, () => {
    const cases = [
      { description: 'limit 3 over 7 objects gives pages of 3, 3 and 1', opts: { limit: 3 }, want: [['d0', 'd1', 'd2'], ['d3', 'd4', 'd5'], ['d6']] },
      { description: 'a limit that divides evenly leaves no empty last page', opts: { limit: 7 }, want: [['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']] },
      { description: 'no limit returns everything at once', opts: {}, want: [['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']] },
      { description: 'a filter applies before the limit', opts: { limit: 2, filter: odd }, want: [['d1', 'd3'], ['d5']] },
    ];
    for (const c of cases) {
      it(c.description, async () => {
        const fx = makeStore(kind);
        try {
          for (let i = 0; i < 7; i++) await fx.store.create(deployments, makeDeployment({ name: `d${i}`, replicas: i }));
          const got = await pages(fx.store, c.opts);
          assert.deepEqual(got.names, c.want);
          assert.ok(got.rvs.every((rv) => rv === '8'), `every page reports the snapshot revision: ${got.rvs.join(',')}`);
        } finally {
          await fx.cleanup();
        }
      });
    }

    it('later pages show the snapshot of the first page, not writes made in between', async () => {
      const fx = makeStore(kind);
      try {
        for (let i = 0; i < 4; i++) await fx.store.create(deployments, makeDeployment({ name: `d${i}` }));
        const got = await pages(fx.store, { limit: 2 }, async () => {
          await fx.store.delete(deployments, 'default', 'd3');
          await fx.store.create(deployments, makeDeployment({ name: 'd9' }));
        });
        assert.deepEqual(got.names, [['d0', 'd1'], ['d2', 'd3']]);
        const now = await fx.store.list(deployments);
        assert.deepEqual(now.items.map((o) => o.metadata.name), ['d0', 'd1', 'd2', 'd9']);
      } finally {
        await fx.cleanup();
      }
    });

    it('a continue token older than the history is 410 Gone; a garbage token is 400', async () => {
      const fx = makeStore(kind, { historySize: 2 });
      try {
        for (let i = 0; i < 4; i++) await fx.store.create(deployments, makeDeployment({ name: `d${i}` }));
        const first = await fx.store.list(deployments, { limit: 1 });
        assert.ok(first.continue);
        for (let i = 0; i < 3; i++) await fx.store.create(deployments, makeDeployment({ name: `e${i}` }));
        await assert.rejects(fx.store.list(deployments, { limit: 1, continue: first.continue }), (e) => e instanceof ApiError && e.code === 410 && /continue parameter is too old/.test(e.message));
        await assert.rejects(fx.store.list(deployments, { continue: 'not-a-token!' }), (e) => e instanceof ApiError && e.code === 400);
      } finally {
        await fx.cleanup();
      }
    });
  });
}
