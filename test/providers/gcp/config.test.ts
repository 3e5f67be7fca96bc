import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCloudError } from '../../../core/cloud/index.js';
import { parseGcpConfig } from '../../../providers/gcp/index.js';

const base = { project: 'p', region: 'us-central1' };

test('gcp cloud-config: apiEndpoint is a host name; a URL is refused at config time with the documented form', () => {
  const cases: { description: string; apiEndpoint: string; ok: boolean }[] = [
    { description: 'loopback host', apiEndpoint: '127.0.0.1', ok: true },
    { description: 'a private endpoint host', apiEndpoint: 'compute.p.rep.googleapis.com', ok: true },
    { description: 'http URL', apiEndpoint: 'http://127.0.0.1:8080', ok: false },
    { description: 'https URL', apiEndpoint: 'https://compute.googleapis.com', ok: false },
    { description: 'host with a path', apiEndpoint: '127.0.0.1/compute/v1', ok: false },
  ];
  for (const c of cases) {
    const parse = (): unknown => parseGcpConfig({ ...base, apiEndpoint: c.apiEndpoint, port: 8080, protocol: 'http' }, 'skiff');
    if (c.ok) {
      assert.equal((parse() as { apiEndpoint?: string }).apiEndpoint, c.apiEndpoint, c.description);
      continue;
    }
    assert.throws(parse, (e: unknown) => isCloudError(e, 'InvalidArgument') && /"apiEndpoint" must be a host name such as 127\.0\.0\.1, not a URL/.test((e as Error).message) && (e as Error).message.includes('"protocol": http'), c.description);
  }
});
