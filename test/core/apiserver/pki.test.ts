import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../../../core/apiserver/index.js';

test('ensurePki creates a CA and a serving cert once, reuses them, re-issues for new hosts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-pki-'));
  try {
    const a = await ensurePki(dir);
    const ca = new X509Certificate(a.caCert);
    const leaf = new X509Certificate(a.cert);
    assert.ok(ca.ca);
    assert.ok(leaf.verify(ca.publicKey), 'serving cert is signed by the CA');
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    assert.ok(leaf.checkIP('::1'));
    assert.equal(leaf.checkHost('localhost'), 'localhost');
    assert.equal(leaf.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    for (const f of ['ca.key', 'apiserver.key']) assert.equal((await stat(join(dir, 'pki', f))).mode & 0o777, 0o600, f);
    const b = await ensurePki(dir);
    assert.deepEqual(b, a, 'second call reuses the files');
    const c = await ensurePki(dir, { hosts: ['skiff.example', '10.1.2.3'] });
    assert.equal(c.caCert, a.caCert, 'the CA is kept');
    const leaf2 = new X509Certificate(c.cert);
    assert.equal(leaf2.checkHost('skiff.example'), 'skiff.example');
    assert.equal(leaf2.checkIP('10.1.2.3'), '10.1.2.3');
    assert.ok(leaf2.verify(ca.publicKey));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
