/** Test support: raw HTTPS requests to a skiff API server, with the token and CA from its kubeconfig. */
import { Agent, request } from 'node:https';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RawApi {
  server: string;
  token: string;
  ca: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  close(): void;
}

interface Kubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { token: string } }[];
}

/** A keep-alive HTTPS client for the server in `kubeconfig` (`maxSockets` caps concurrency). */
export function rawApi(kubeconfig: string, opts: { maxSockets?: number } = {}): RawApi {
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as Kubeconfig;
  const cluster = kc.clusters[0]?.cluster;
  const token = kc.users[0]?.user.token;
  if (!cluster || !token) throw new Error('kubeconfig has no cluster or token');
  const ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString();
  const agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64, ca });
  const base = new URL(cluster.server);
  return {
    server: cluster.server,
    token,
    ca,
    close: () => agent.destroy(),
    call: (method, path, body, headers = {}) =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
        const req = request(
          {
            hostname: base.hostname.replace(/^\[|\]$/g, ''),
            port: base.port,
            path,
            method,
            agent,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/json',
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
              ...headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: <T>() => JSON.parse(text) as T });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
  };
}
