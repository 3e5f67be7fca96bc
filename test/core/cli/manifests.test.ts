import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../core/cli/args.js';
import { parseManifests } from '../../../core/cli/manifests.js';

describe('parseManifests', () => {
  const cases = [
    {
      desc: 'several YAML documents, empty ones skipped',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n',
      out: [['v1', 'ConfigMap', 'a'], ['v1', 'Service', 'b']],
    },
    {
      desc: 'JSON',
      text: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"}}',
      out: [['apps/v1', 'Deployment', 'd']],
    },
    {
      desc: 'a List is flattened',
      text: 'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Pod, metadata: {name: p1}}\n  - {apiVersion: v1, kind: Pod, metadata: {name: p2}}\n',
      out: [['v1', 'Pod', 'p1'], ['v1', 'Pod', 'p2']],
    },
    {
      desc: 'missing metadata becomes {}',
      text: 'apiVersion: v1\nkind: Namespace\n',
      out: [['v1', 'Namespace', undefined]],
    },
    { desc: 'an empty stream', text: '', out: [] },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const got = parseManifests(c.text, 'f.yaml');
      assert.deepEqual(got.map((m) => [m.object.apiVersion, m.object.kind, m.object.metadata.name]), c.out);
      for (const m of got) assert.equal(m.source, 'f.yaml');
    });
  }

  const bad = [
    { desc: 'invalid YAML names the source and document', text: 'apiVersion: v1\nkind: Pod\n---\nb: [\n', msg: /error parsing x\.yaml \(document 2\)/ },
    { desc: 'a scalar document', text: '42\n', msg: /error parsing x\.yaml \(document 1\): not an object/ },
    { desc: 'no kind', text: 'apiVersion: v1\nmetadata: {name: a}\n', msg: /x\.yaml: document 1 has no apiVersion or kind/ },
    { desc: 'no apiVersion in a List item', text: 'kind: List\napiVersion: v1\nitems:\n  - {kind: Pod}\n', msg: /has no apiVersion or kind/ },
  ];
  for (const c of bad) {
    it(`rejects ${c.desc}`, () => assert.throws(() => parseManifests(c.text, 'x.yaml'), (e: unknown) => e instanceof UsageError && c.msg.test(e.message)));
  }
});
