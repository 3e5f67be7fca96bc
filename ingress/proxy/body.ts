/** Request-body limit for streamed (chunked or lying) bodies: counts bytes and fails the stream past the limit. */
import { Transform, type TransformCallback } from 'node:stream';

export class BodyTooLarge extends Error {
  readonly code = 'BODY_TOO_LARGE';
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/** Passes chunks through until more than `limit` bytes have gone by, then errors with `BodyTooLarge`. */
export class BodyLimit extends Transform {
  #seen = 0;
  exceeded = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.limit) {
      this.exceeded = true;
      cb(new BodyTooLarge(this.limit));
      return;
    }
    cb(null, chunk);
  }
}
