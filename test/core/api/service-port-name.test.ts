import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateService } from '../../../core/api/index.js';
import type { KubeObject } from '../../../core/api/index.js';
import { makeService } from './fixtures.js';

const withPorts = (ports: Record<string, unknown>[]): KubeObject => ({ ...makeService('web'), spec: { selector: { app: 'web' }, ports } });

// Kubernetes validates Service port names as DNS-1123 labels; the IANA_SVC_NAME rule
// ("at least one letter", ≤15 characters) is for container port names and targetPort names.
describe('Service port names are DNS-1123 labels', () => {
  const cases = [
    { description: 'digits and a hyphen (kubectl create service --tcp=80:8080)', name: '80-8080', fields: [] },
    { description: 'all digits', name: '80', fields: [] },
    { description: 'longer than 15 characters', name: 'a-very-long-port-name', fields: [] },
    { description: 'consecutive hyphens', name: 'a--b', fields: [] },
    { description: 'uppercase is invalid', name: 'HTTP', fields: ['spec.ports[0].name'] },
    { description: 'leading hyphen is invalid', name: '-http', fields: ['spec.ports[0].name'] },
    { description: 'longer than 63 characters is invalid', name: 'a'.repeat(64), fields: ['spec.ports[0].name'] },
  ];
  for (const c of cases) {
    test(c.description, () => {
      const errs = validateService(withPorts([{ name: c.name, port: 80, targetPort: 8080 }]));
      assert.deepEqual(errs.map((e) => e.field), c.fields, JSON.stringify(errs));
    });
  }

  test('a named targetPort still follows the IANA rule', () => {
    const errs = validateService(withPorts([{ name: 'web', port: 80, targetPort: '8080-x-y-z-long-name' }]));
    assert.deepEqual(errs.map((e) => e.field), ['spec.ports[0].targetPort']);
  });
});
