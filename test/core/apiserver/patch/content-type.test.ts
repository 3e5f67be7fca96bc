import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { patchTypeFromContentType } from '../../../../core/apiserver/patch/index.js';

const cases: { desc: string; ct: string | undefined; want: string | undefined }[] = [
  { desc: 'json patch', ct: 'application/json-patch+json', want: 'json' },
  { desc: 'merge patch', ct: 'application/merge-patch+json', want: 'merge' },
  { desc: 'strategic merge patch', ct: 'application/strategic-merge-patch+json', want: 'strategic' },
  { desc: 'server-side apply (yaml)', ct: 'application/apply-patch+yaml', want: 'apply' },
  { desc: 'server-side apply (cbor)', ct: 'application/apply-patch+cbor', want: 'apply' },
  { desc: 'parameters and case ignored', ct: 'Application/Merge-Patch+JSON; charset=utf-8', want: 'merge' },
  { desc: 'plain json is not a patch type', ct: 'application/json', want: undefined },
  { desc: 'yaml is not a patch type', ct: 'application/yaml', want: undefined },
  { desc: 'missing header', ct: undefined, want: undefined },
  { desc: 'empty header', ct: '', want: undefined },
];

describe('patchTypeFromContentType', () => {
  for (const c of cases) {
    it(c.desc, () => assert.equal(patchTypeFromContentType(c.ct), c.want));
  }
});
