/** Polls until a condition holds, with back-off, bounded, honouring the AbortSignal. */
import { CloudError } from '../../core/cloud/index.js';
import type { Clock } from '../../core/util/index.js';

export interface WaitOptions {
  clock: Clock;
  signal: AbortSignal;
  what: string;
  /** Give up after this long (default 5 minutes). */
  timeoutMs?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export async function waitFor<T>(poll: () => Promise<T>, done: (v: T) => boolean, o: WaitOptions): Promise<T> {
  const start = o.clock.now();
  let delay = o.firstDelayMs ?? 50;
  for (;;) {
    const v = await poll();
    if (done(v)) return v;
    if (o.clock.now() - start >= (o.timeoutMs ?? 300_000)) throw new CloudError('Transient', `timed out waiting for ${o.what}`);
    await o.clock.sleep(delay, o.signal);
    delay = Math.min(delay * 2, o.maxDelayMs ?? 5000);
  }
}
