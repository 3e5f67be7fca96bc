/** Self-signed test certificates for SNI tests. */
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import '../../core/apiserver/reflect-shim.js';
import * as x509 from '@peculiar/x509';
import type { Secret } from '../../core/api/index.js';

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export async function selfSigned(cn: string, dns: readonly string[]): Promise<{ cert: string; key: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex').replace(/^[89a-f]/, '1'), name: `CN=${cn}`,
    notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000), keys, signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension(dns.map((d) => ({ type: 'dns' as const, value: d })))],
  });
  return { cert: cert.toString('pem'), key: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export function tlsSecret(name: string, pair: { cert: string; key: string }, namespace = 'default'): Secret {
  return {
    apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(pair.cert).toString('base64'), 'tls.key': Buffer.from(pair.key).toString('base64') },
  };
}
