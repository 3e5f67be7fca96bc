/** Talking to node agents the way the Kubernetes API server talks to kubelets: by the Node's InternalIP and daemon port. */
import { request } from 'node:http';
import { ApiError, type Node } from '../api/index.js';

export interface NodeEndpoint {
  host: string;
  port: number;
}

/** Where a node agent serves logs and usage, from its Node object (pure). */
export function nodeEndpoint(node: Node): NodeEndpoint | undefined {
  const host = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  return host && port ? { host, port } : undefined;
}

/** GETs `path` from a node agent; resolves with the open response once the status is 200. */
export function nodeGet(ep: NodeEndpoint, path: string, token: string, signal: AbortSignal): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    const req = request({ host: ep.host, port: ep.port, path, headers: { authorization: `Bearer ${token}` }, signal, timeout: 10_000 }, (res) => {
      if (res.statusCode === 200) {
        resolve(res);
        return;
      }
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => reject(new ApiError(res.statusCode === 404 ? 'NotFound' : 'BadRequest', body.trim() || `node agent answered ${res.statusCode ?? 0}`)));
    });
    req.on('timeout', () => req.destroy(new Error('node agent did not answer in time')));
    req.on('error', (e) => reject(new ApiError('ServiceUnavailable', `node agent at ${ep.host}:${ep.port} unreachable: ${e.message}`)));
    req.end();
  });
}

export async function nodeJson<T>(ep: NodeEndpoint, path: string, token: string, signal: AbortSignal): Promise<T> {
  const res = await nodeGet(ep, path, token, signal);
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return JSON.parse(body) as T;
}
