/** Reading and writing kubeconfig files (the subset skiff and kubectl need). */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { ApiError } from '../api/index.js';

/** Connection settings of one kubeconfig context, ready for `new KubeClient(...)`. */
export interface KubeconfigCredentials {
  server: string;
  caCert?: string;
  insecure?: boolean;
  token?: string;
  clientCert?: string;
  clientKey?: string;
  /** The namespace the context selects, if any. */
  namespace?: string;
}

interface Named {
  name: string;
}

interface RawConfig {
  'current-context'?: string;
  clusters?: (Named & { cluster?: Record<string, unknown> })[];
  contexts?: (Named & { context?: Record<string, unknown> })[];
  users?: (Named & { user?: Record<string, unknown> })[];
}

/** The kubeconfig path used when none is given: `$KUBECONFIG` (first entry), else `./.skiff/kubeconfig`. */
export function defaultKubeconfigPath(): string {
  const env = process.env.KUBECONFIG;
  if (env) return env.split(':')[0] ?? env;
  return join(process.cwd(), '.skiff', 'kubeconfig');
}

/** Loads the current context of a kubeconfig; file references are resolved relative to the file. */
export async function loadKubeconfig(path: string = defaultKubeconfigPath()): Promise<KubeconfigCredentials> {
  const raw = parse(await readFile(path, 'utf8')) as RawConfig | null;
  if (!raw || typeof raw !== 'object') throw configError(path, 'empty or not a mapping');
  const ctxName = raw['current-context'];
  const ctx = raw.contexts?.find((c) => c.name === ctxName)?.context ?? (ctxName ? undefined : raw.contexts?.[0]?.context);
  if (!ctx) throw configError(path, `context ${JSON.stringify(ctxName ?? '')} not found`);
  const cluster = raw.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string') throw configError(path, `cluster ${JSON.stringify(ctx.cluster)} not found or has no server`);
  const user = raw.users?.find((u) => u.name === ctx.user)?.user ?? {};
  const base = dirname(path);
  const out: KubeconfigCredentials = { server: cluster.server };
  const ca = await dataOrFile(cluster['certificate-authority-data'], cluster['certificate-authority'], base);
  if (ca) out.caCert = ca;
  if (cluster['insecure-skip-tls-verify'] === true) out.insecure = true;
  const token = typeof user.token === 'string' ? user.token : await dataOrFile(undefined, user.tokenFile ?? user['token-file'], base, false);
  if (token) out.token = token.trim();
  const cert = await dataOrFile(user['client-certificate-data'], user['client-certificate'], base);
  const key = await dataOrFile(user['client-key-data'], user['client-key'], base);
  if (cert) out.clientCert = cert;
  if (key) out.clientKey = key;
  if (typeof ctx.namespace === 'string') out.namespace = ctx.namespace;
  return out;
}

export interface WriteKubeconfigOptions {
  server: string;
  /** PEM of the CA, written as `certificate-authority-data`. */
  caCert?: string;
  token?: string;
  /** Name of the cluster, context and user; default `skiff`. */
  name?: string;
}

/** Writes a kubeconfig with one cluster, context and user (all named `name`), file mode 0600. */
export async function writeKubeconfig(path: string, opts: WriteKubeconfigOptions): Promise<void> {
  const name = opts.name ?? 'skiff';
  const cluster: Record<string, unknown> = { server: opts.server };
  if (opts.caCert) cluster['certificate-authority-data'] = Buffer.from(opts.caCert).toString('base64');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': name,
    clusters: [{ name, cluster }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    users: [{ name, user: opts.token ? { token: opts.token } : {} }],
    preferences: {},
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, stringify(doc), { mode: 0o600 });
  await chmod(path, 0o600);
}

async function dataOrFile(data: unknown, file: unknown, base: string, base64 = true): Promise<string | undefined> {
  if (typeof data === 'string' && data) return base64 ? Buffer.from(data, 'base64').toString('utf8') : data;
  if (typeof file === 'string' && file) return readFile(isAbsolute(file) ? file : resolve(base, file), 'utf8');
  return undefined;
}

function configError(path: string, why: string): ApiError {
  return new ApiError('BadRequest', `invalid kubeconfig ${path}: ${why}`);
}
