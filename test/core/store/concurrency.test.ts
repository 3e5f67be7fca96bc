import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, type KubeObject } from '../../../core/api/index.js';
import { backendKinds, configmaps, makeStore } from './helpers.js';

const clients = 20;
const attemptsPerClient = 25;

function countOf(obj: KubeObject): number {
  return Number((obj.data as Record<string, string> | undefined)?.count ?? '0');
}

for (const kind of backendKinds) {
  describe(`optimistic concurrency on ${kind.name}`, () => {
    it(`${clients} clients incrementing one counter: final value == successful updates, every failure is 409`, async () => {
      const fx = makeStore(kind);
      try {
        const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter', namespace: 'default' }, data: { count: '0' } };
        await fx.store.create(configmaps, cm);
        let successes = 0;
        const failures: unknown[] = [];
        const client = async (): Promise<void> => {
          for (let i = 0; i < attemptsPerClient; i++) {
            const cur = await fx.store.get(configmaps, 'default', 'counter');
            await new Promise((r) => setImmediate(r)); // let the others read the same version
            try {
              await fx.store.update(configmaps, { ...cur, data: { count: String(countOf(cur) + 1) } });
              successes++;
            } catch (err) {
              failures.push(err);
            }
          }
        };
        await Promise.all(Array.from({ length: clients }, () => client()));
        const final = await fx.store.get(configmaps, 'default', 'counter');
        assert.equal(countOf(final), successes);
        assert.equal(successes + failures.length, clients * attemptsPerClient);
        assert.ok(failures.length > 0, 'the clients did race');
        assert.ok(failures.every((e) => e instanceof ApiError && e.code === 409 && e.reason === 'Conflict'), 'all failures are 409 Conflict');
      } finally {
        await fx.cleanup();
      }
    });
  });
}
