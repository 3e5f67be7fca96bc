import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { CloudError, ProviderRegistry, isCloudError } from '../../../core/cloud/index.js';
import type { CloudProvider, ProviderOptions } from '../../../core/cloud/index.js';
import { silentLogger, systemClock } from '../../../core/util/index.js';
import { runConformance } from '../../../providers/conformance/index.js';
import { fakeProviderFactory } from '../../../providers/fake/index.js';
import createExample, { mutations } from './fixtures/example-provider.js';

const here = dirname(fileURLToPath(import.meta.url));
const opts = (clusterName = 'test'): ProviderOptions => ({ cloudConfig: { persist: false }, clusterName, dataDir: '/nonexistent', log: silentLogger, clock: systemClock });

test('registry: registered names, unknown names and module paths', async (t) => {
  const registry = new ProviderRegistry({ baseDir: here });
  registry.register('fake', fakeProviderFactory());
  registry.register('example', createExample);
  const cases: { description: string; name: string; want: string | RegExp }[] = [
    { description: 'a registered name', name: 'fake', want: 'fake' },
    { description: 'a relative module path with a default export', name: './fixtures/example-provider.ts', want: 'example' },
    { description: 'an absolute module path', name: join(here, 'fixtures/example-provider.ts'), want: 'example' },
    { description: 'an unknown name lists the known ones', name: 'nimbus', want: /unknown cloud provider "nimbus" \(known: example, fake;/ },
    { description: 'a missing module path', name: './fixtures/nope.ts', want: /unknown cloud provider/ },
    { description: 'an unregistered package name is imported (and must export a factory)', name: 'node:path', want: /exports neither a default function nor createProvider/ },
  ];
  for (const c of cases) {
    await t.test(c.description, async () => {
      if (typeof c.want === 'string') {
        const p = await registry.create(c.name, opts());
        assert.equal(p.name, c.want);
      } else {
        await assert.rejects(registry.create(c.name, opts()), (e: unknown) => isCloudError(e) && c.want instanceof RegExp && c.want.test((e as Error).message));
      }
    });
  }
});

test('registry: registering twice and bad plug-ins fail loudly', async () => {
  const registry = new ProviderRegistry({
    importModule: async (spec) => (spec.endsWith('bad.js') ? { createProvider: () => ({}) } : { nothing: 1 }),
  });
  registry.register('x', () => ({ name: 'x', capabilities: {} }));
  assert.throws(() => registry.register('x', () => ({ name: 'x', capabilities: {} })), CloudError);
  await assert.rejects(registry.create('./bad.js', opts()), /did not return a provider/);
  await assert.rejects(registry.create('./empty.js', opts()), /exports neither a default function nor createProvider/);
  assert.deepEqual(registry.names(), ['x']);
});

// The example third-party provider passes the kit (load-balancer cases; the rest check the manifest agrees).
let seq = 0;
runConformance('example plug-in', async () => {
  const cluster = `example-${++seq}`;
  const provider: CloudProvider = createExample(opts(cluster)) as CloudProvider;
  return {
    provider, clusterName: cluster,
    restart: async () => createExample(opts(cluster)) as CloudProvider,
    mutatingCalls: () => mutations.length,
    close: async () => undefined,
  };
});
