/** The `/metrics` and `/healthz` listener of `skiff ingress` (one process's registry, or the cluster primary's aggregate). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Scrape {
  readonly contentType: string;
  readonly text: string;
}

export interface Health {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface MetricsEndpoints {
  /** The exposition; a rejection answers 503 with the error's message. */
  metrics(): Promise<Scrape>;
  health(): Health;
}

export interface MetricsServer {
  /** The bound port (the real one when asked for `0`). */
  readonly port: number;
  close(): Promise<void>;
}

export async function listenMetrics(port: number, address: string, endpoints: MetricsEndpoints): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      endpoints.metrics().then((s) => { res.writeHead(200, { 'content-type': s.contentType }); res.end(s.text); },
        (e: unknown) => { res.writeHead(503, { 'content-type': 'text/plain' }); res.end(`${e instanceof Error ? e.message : String(e)}\n`); });
    } else if (req.url === '/healthz') {
      const h = endpoints.health();
      res.writeHead(h.status, { 'content-type': h.contentType });
      res.end(h.body);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => { server.off('error', reject); resolve(); });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
