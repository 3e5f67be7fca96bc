/** The API server's PKI: a self-signed CA and a serving certificate, created once under `<dataDir>/pki/`. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pair } from './pki-issue.js';

export interface Pki {
  /** PEM of the CA certificate (what a kubeconfig's `certificate-authority-data` carries). */
  caCert: string;
  /** PEM of the serving certificate. */
  cert: string;
  /** PEM (PKCS#8) of the serving key. */
  key: string;
}

export interface PkiOptions {
  /** Extra SANs (DNS names or IP addresses) beyond 127.0.0.1, ::1 and localhost. */
  hosts?: readonly string[];
  /** Milliseconds since the epoch used for validity; default now. */
  now?: number;
}

const defaultHosts = ['127.0.0.1', '::1', 'localhost'];

/**
 * Returns the CA and serving certificate under `<dataDir>/pki/`, creating them on first use
 * (key files are 0600). A serving certificate whose SANs lack a requested host is re-issued
 * by the same CA; the CA itself is never replaced.
 */
export async function ensurePki(dataDir: string, opts: PkiOptions = {}): Promise<Pki> {
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const hosts = [...new Set([...defaultHosts, ...(opts.hosts ?? [])])].sort();
  const now = opts.now ?? Date.now();
  // Issuing loads the X.509 library; a data dir that has its certificates starts without it.
  const ca = (await readExisting(dir, 'ca')) ?? (await (await import('./pki-issue.js')).createCa(dir, now));
  const serving = await readExisting(dir, 'apiserver');
  const hostsFile = join(dir, 'apiserver.hosts');
  const oldHosts = await readFile(hostsFile, 'utf8').catch(() => '');
  if (serving && oldHosts === hosts.join(',')) return { caCert: ca.cert, cert: serving.cert, key: serving.key };
  const fresh = await (await import('./pki-issue.js')).createServing(dir, ca, hosts, now);
  await writeFile(hostsFile, hosts.join(','));
  return { caCert: ca.cert, cert: fresh.cert, key: fresh.key };
}

async function readExisting(dir: string, name: string): Promise<Pair | undefined> {
  try {
    const cert = await readFile(join(dir, `${name}.crt`), 'utf8');
    const key = await readFile(join(dir, `${name}.key`), 'utf8');
    return { cert, key };
  } catch {
    return undefined;
  }
}
