/**
 * When the primary replaces a worker that died. A worker that ran a while is replaced at once (ingress-nginx's
 * master restarts a dead worker the same way); workers that die soon after starting, in a row (a bad kubeconfig,
 * an API server that refuses them), are replaced after 1 s, 2 s, 4 s … up to 30 s, so a crash loop does not spin.
 */

/** A worker that lived at least this long was not crash-looping. */
export const STABLE_MS = 10_000;
export const MAX_DELAY_MS = 30_000;

export interface RestartState {
  /** Workers in a row that died before STABLE_MS. */
  readonly quickDeaths: number;
}

export const initialRestartState: RestartState = { quickDeaths: 0 };

export function nextRestart(state: RestartState, livedMs: number): { state: RestartState; delayMs: number } {
  if (livedMs >= STABLE_MS) return { state: { quickDeaths: 0 }, delayMs: 0 };
  const quickDeaths = state.quickDeaths + 1;
  return { state: { quickDeaths }, delayMs: Math.min(MAX_DELAY_MS, 1000 * 2 ** (quickDeaths - 1)) };
}
