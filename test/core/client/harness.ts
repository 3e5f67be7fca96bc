/** Test harness: a real in-process skiff API server (memory store, built-in kinds, TLS on 127.0.0.1:0) and a KubeClient for it. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KindRegistry, registerBuiltins } from '../../../core/api/index.js';
import type { ApiServer, ApiServerOptions, Pki } from '../../../core/apiserver/index.js';
import { KubeClient } from '../../../core/client/index.js';
import { MemoryBackend, createObjectStore } from '../../../core/store/index.js';
import type { ObjectStore } from '../../../core/store/index.js';

export interface TestServer {
  client: KubeClient;
  store: ObjectStore;
  server: string;
  caCert: string;
  token: string;
  dir: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Watch history kept by the memory backend (small values make 410 Gone easy to provoke). */
  historySize?: number;
  bookmarkIntervalMs?: number;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-client-'));
  const { createApiServer, pki } = await loadApiServer(dir);
  const registry = new KindRegistry();
  registerBuiltins(registry);
  const store = createObjectStore(new MemoryBackend(opts.historySize ? { historySize: opts.historySize } : {}));
  const token = 'test-token';
  const api = createApiServer({
    store,
    registry,
    token,
    tls: { cert: pki.cert, key: pki.key },
    ...(opts.bookmarkIntervalMs ? { bookmarkIntervalMs: opts.bookmarkIntervalMs } : {}),
  });
  const port = await api.listen(0, '127.0.0.1');
  const server = `https://127.0.0.1:${port}`;
  const client = new KubeClient({ server, caCert: pki.caCert, token, userAgent: 'skiff-test' });
  return {
    client,
    store,
    server,
    caCert: pki.caCert,
    token,
    dir,
    close: async () => {
      client.close();
      await api.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` (real time, short interval) until it returns a value other than undefined/false; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The API server and its own PKI. While core/apiserver/index.ts cannot be imported here (its
 * x509 library wants a reflect-metadata polyfill that is not installed) this falls back to the
 * server module and an equivalent CA + serving certificate made with openssl.
 */
async function loadApiServer(dir: string): Promise<{ createApiServer: (o: ApiServerOptions) => ApiServer; pki: Pki }> {
  try {
    const mod = await import('../../../core/apiserver/index.js');
    return { createApiServer: mod.createApiServer, pki: await mod.ensurePki(dir) };
  } catch {
    const mod = await import('../../../core/apiserver/server.js');
    return { createApiServer: mod.createApiServer, pki: await opensslPki(dir) };
  }
}

async function opensslPki(dir: string): Promise<Pki> {
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=skiff-test-ca');
  run('req', ...ec, '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1');
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.crt', '-days', '2', '-extfile', 'san.ext');
  const read = (f: string): Promise<string> => readFile(join(dir, f), 'utf8');
  return { caCert: await read('ca.crt'), cert: await read('srv.crt'), key: await read('srv.key') };
}
