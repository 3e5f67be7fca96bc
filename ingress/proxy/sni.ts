/** Certificates by SNI from the current route table, with one SecureContext per distinct certificate. */
import { createHash } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { RouteTable } from '../routes.js';

export class SniContexts {
  readonly #cache = new Map<string, SecureContext>();

  constructor(private readonly table: () => RouteTable) {}

  /** For `tls.createServer({ SNICallback })`. No certificate for the name → the server's default (none: the handshake fails). */
  readonly callback = (servername: string, cb: (err: Error | null, ctx?: SecureContext) => void): void => {
    const cert = this.table().tlsFor(servername);
    if (cert === undefined) { cb(null, undefined); return; }
    // Keyed by the PEM content: a Secret update with a new certificate gets a new context, an unchanged one is reused.
    const key = createHash('sha256').update(cert.cert).update('\0').update(cert.key).digest('hex');
    let ctx = this.#cache.get(key);
    if (ctx === undefined) {
      try {
        ctx = createSecureContext({ cert: cert.cert, key: cert.key });
      } catch (e) {
        cb(e as Error);
        return;
      }
      if (this.#cache.size > 1000) this.#cache.clear();
      this.#cache.set(key, ctx);
    }
    cb(null, ctx);
  };
}
