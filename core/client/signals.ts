/** Signal helpers. */
import { setMaxListeners } from 'node:events';

export interface FanOut {
  signal: AbortSignal;
  /** Detaches from the parent; call when the fan-out is over. */
  release(): void;
}

/**
 * A private signal that aborts with `parent`, without a listener limit: for fan-outs (many
 * parallel requests, many informers) that would trip Node's max-listener warning on `parent`.
 */
export function fanOutSignal(parent: AbortSignal | undefined): FanOut {
  const child = new AbortController();
  setMaxListeners(0, child.signal);
  const onAbort = (): void => child.abort(parent?.reason);
  if (parent?.aborted) child.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  return { signal: child.signal, release: () => parent?.removeEventListener('abort', onAbort) };
}
