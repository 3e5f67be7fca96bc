/** Issuing the API server's PKI (see pki.ts): a self-signed CA and serving certificates signed by it. */
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import './reflect-shim.js';
import * as x509 from '@peculiar/x509';

/** A certificate and its key, both PEM. */
export interface Pair { cert: string; key: string }

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const dayMs = 24 * 3600 * 1000;

async function save(dir: string, name: string, pair: Pair): Promise<void> {
  await writeFile(join(dir, `${name}.crt`), pair.cert, { mode: 0o644 });
  await writeFile(join(dir, `${name}.key`), pair.key, { mode: 0o600 });
  await chmod(join(dir, `${name}.key`), 0o600);
}

function pemOf(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function importKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error('empty CA key file');
  return webcrypto.subtle.importKey('pkcs8', der, alg, true, ['sign']);
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
}

export async function createCa(dir: string, now: number): Promise<Pair> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=skiff-ca',
    notBefore: new Date(now - dayMs),
    notAfter: new Date(now + 3650 * dayMs),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pair = { cert: cert.toString('pem'), key: pemOf(keys.privateKey) };
  await save(dir, 'ca', pair);
  return pair;
}

function isIp(h: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':');
}

export async function createServing(dir: string, ca: Pair, hosts: readonly string[], now: number): Promise<Pair> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await importKey(ca.key);
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=skiff-apiserver',
    issuer: caCert.subject,
    notBefore: new Date(now - dayMs),
    notAfter: new Date(now + 825 * dayMs),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(hosts.map((h) => ({ type: isIp(h) ? 'ip' as const : 'dns' as const, value: h }))),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  const pair = { cert: cert.toString('pem'), key: pemOf(keys.privateKey) };
  await save(dir, 'apiserver', pair);
  return pair;
}
