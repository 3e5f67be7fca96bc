import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../core/api/index.js';
import type { LogRequest } from '../../../core/apiserver/index.js';
import { createNamespace, startServer } from './harness.js';
import type { Harness } from './harness.js';

const base = '/api/v1/namespaces/default/pods/lp/log';

describe('pods/log', () => {
  let h: Harness;
  let seen: LogRequest | undefined;
  before(async () => {
    h = await startServer({
      logs: {
        stream: async (req, out, signal, onReady) => {
          seen = req;
          if (req.container === 'bad') throw new ApiError('BadRequest', 'container bad is not valid for pod lp');
          if (req.container === 'down') throw new ApiError('ServiceUnavailable', 'node agent unreachable');
          onReady?.();
          if (req.follow) {
            // Nothing to say yet: the client must still get its 200 header now.
            await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
            return;
          }
          out.write('hello\n');
        },
      },
    });
    await createNamespace(h, 'default');
    await h.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lp' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  });
  after(async () => { await h.close(); });

  const errors = [
    { description: 'invalid container → 400 Status', query: '?container=bad', status: 400 },
    { description: 'node unreachable → 503 Status', query: '?container=down', status: 503 },
    { description: 'sinceTime and sinceSeconds together → 400', query: '?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z', status: 400 },
    { description: 'negative limitBytes → 400', query: '?limitBytes=-1', status: 400 },
    { description: 'unknown pod → 404', query: '', status: 404, path: '/api/v1/namespaces/default/pods/nope/log' },
  ];
  for (const c of errors) {
    test(c.description, async () => {
      const r = await h.req('GET', `${c.path ?? base}${c.query}`);
      assert.equal(r.status, c.status, r.text);
      assert.equal(r.body?.kind, 'Status');
    });
  }

  test('passes timestamps, sinceSeconds, sinceTime, limitBytes and tailLines to the provider', async () => {
    const r = await h.req('GET', `${base}?timestamps=true&sinceSeconds=60&limitBytes=100&tailLines=3&container=c`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text, 'hello\n');
    assert.deepEqual(seen, { namespace: 'default', pod: 'lp', container: 'c', follow: false, previous: false, timestamps: true, tailLines: 3, sinceSeconds: 60, limitBytes: 100 });
    await h.req('GET', `${base}?sinceTime=2026-01-01T00:00:00Z`);
    const last = seen as LogRequest | undefined;
    assert.equal(last?.sinceTime, '2026-01-01T00:00:00Z');
  });

  test('follow: the 200 header is sent once the provider is ready, before any log bytes', async () => {
    const s = await h.stream(`${base}?follow=true`);
    assert.equal(s.status, 200);
    s.close();
  });
});
