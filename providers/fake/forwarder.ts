/** A real TCP listener that forwards each connection to the first backend that accepts it (a refusing NodePort, or a target without an address, is skipped). */
import { createServer, connect, isIP } from 'node:net';
import type { Server, Socket } from 'node:net';

export interface Backend {
  host: string;
  port: number;
}

export class Forwarder {
  private server: Server | undefined;
  private next = 0;
  private readonly sockets = new Set<Socket>();

  constructor(readonly host: string, readonly port: number, private readonly backends: () => readonly Backend[]) {}

  /** Listens; rejects with the socket error (`EADDRINUSE`, `EACCES`) when it cannot. */
  listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        this.server = server;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    this.track(client);
    client.pause();
    client.on('error', () => client.destroy());
    const list = this.backends();
    const start = this.next++;
    const attempt = (i: number): void => {
      if (i >= list.length || client.destroyed) {
        client.destroy();
        return;
      }
      const b = list[(start + i) % list.length];
      if (!b || isIP(b.host) === 0) return attempt(i + 1); // a target with no address yet fails its health check
      const upstream = connect(b.port, b.host);
      upstream.once('error', () => {
        upstream.destroy();
        attempt(i + 1); // health check: a refusing backend is skipped
      });
      upstream.once('connect', () => {
        this.track(upstream);
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
