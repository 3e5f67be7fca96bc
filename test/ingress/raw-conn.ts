/** A raw HTTP/1.1 client connection for tests that must control what goes on one socket (no agent, no pooling). */
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated names joined with ', '. */
  headers: Record<string, string>;
  body: string;
}

export class RawConn {
  #buf = Buffer.alloc(0);
  #closed = false;
  #wake: (() => void) | undefined;

  constructor(readonly socket: Duplex) {
    socket.on('data', (c: Buffer) => { this.#buf = Buffer.concat([this.#buf, c]); this.#wake?.(); });
    socket.on('close', () => { this.#closed = true; this.#wake?.(); });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawConn> {
    return new Promise((ok, fail) => {
      const s = netConnect(port, '127.0.0.1', () => ok(new RawConn(s)));
      s.once('error', fail);
    });
  }

  static openTls(port: number, servername: string): Promise<RawConn> {
    return new Promise((ok, fail) => {
      const s = tlsConnect({ port, host: '127.0.0.1', servername, rejectUnauthorized: false }, () => ok(new RawConn(s)));
      s.once('error', fail);
    });
  }

  get closed(): boolean { return this.#closed; }

  send(data: string | Buffer): void { this.socket.write(data); }

  /** Waits until `n` bytes are buffered (or the connection closed); false if it closed first. */
  async #need(n: number): Promise<boolean> {
    while (this.#buf.length < n) {
      if (this.#closed) return false;
      await new Promise<void>((r) => { this.#wake = r; });
      this.#wake = undefined;
    }
    return true;
  }

  async #until(marker: string): Promise<number> {
    for (;;) {
      const i = this.#buf.indexOf(marker, 0, 'latin1');
      if (i >= 0) return i;
      if (!(await this.#need(this.#buf.length + 1))) return -1;
    }
  }

  #take(n: number): string {
    const s = this.#buf.subarray(0, n).toString('latin1');
    this.#buf = this.#buf.subarray(n);
    return s;
  }

  /** Bytes received so far that no response took. */
  rest(): string { return this.#take(this.#buf.length); }

  /** Reads until at least `n` bytes are buffered, then takes them (undefined when the connection closed first). */
  async read(n: number): Promise<string | undefined> {
    return (await this.#need(n)) ? this.#take(n) : undefined;
  }

  /**
   * Reads one response (undefined when the connection closed before a full one). A 101 ends at its head; a
   * response to HEAD has no body (`head: true`).
   */
  async response(o: { head?: boolean } = {}): Promise<RawResponse | undefined> {
    const end = await this.#until('\r\n\r\n');
    if (end < 0) return undefined;
    const [line = '', ...lines] = this.#take(end + 4).split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(line)?.[1] ?? 0);
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const i = l.indexOf(':');
      if (i <= 0) continue;
      const k = l.slice(0, i).trim().toLowerCase();
      const v = l.slice(i + 1).trim();
      headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
    }
    if (status === 101 || status === 204 || status === 304 || o.head === true) return { status, headers, body: '' };
    if (headers['content-length'] !== undefined) {
      const body = await this.read(Number(headers['content-length']));
      return body === undefined ? undefined : { status, headers, body };
    }
    if ((headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked')) return this.#chunked(status, headers);
    await this.#need(Number.MAX_SAFE_INTEGER); // close-delimited
    return { status, headers, body: this.rest() };
  }

  async #chunked(status: number, headers: Record<string, string>): Promise<RawResponse | undefined> {
    let body = '';
    for (;;) {
      const eol = await this.#until('\r\n');
      if (eol < 0) return undefined;
      const size = parseInt(this.#take(eol + 2), 16);
      const chunk = await this.read(size + 2);
      if (chunk === undefined) return undefined;
      if (size === 0) return { status, headers, body };
      body += chunk.slice(0, size);
    }
  }

  close(): void { this.socket.destroy(); }
}
