/** Load profiles for `skiff load` (pure): a steady rate, or a ramp of stages such as `10s:50,30s:400,20s:0`. */

export interface Stage {
  durationMs: number;
  /** Requests per second for the whole stage; 0 is a pause; undefined is "as fast as the connections go". */
  rate: number | undefined;
}

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** `500ms`, `10s`, `2m`, or a bare number of seconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m?.[1]) throw new ProfileError(`invalid duration "${s}" (use e.g. 500ms, 10s, 2m)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
  if (ms <= 0) throw new ProfileError(`duration must be positive, got "${s}"`);
  return Math.round(ms);
}

/** Parses `10s:50,30s:400,20s:0` into stages. */
export function parseRamp(s: string): Stage[] {
  const parts = s.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new ProfileError('--ramp needs at least one stage, e.g. 10s:50,30s:400,20s:0');
  return parts.map((p) => {
    const [d, r, extra] = p.split(':');
    if (d === undefined || r === undefined || extra !== undefined) throw new ProfileError(`invalid ramp stage "${p}" (use DURATION:RATE, e.g. 30s:400)`);
    if (!/^\d+$/.test(r.trim())) throw new ProfileError(`invalid rate "${r}" in ramp stage "${p}" (a whole number of requests per second)`);
    return { durationMs: parseDuration(d), rate: Number(r) };
  });
}

/** The whole run: the ramp if given, else one stage of `duration` at `rate` (unlimited when absent). */
export function profileOf(opts: { ramp?: string; duration?: string; rate?: string }): Stage[] {
  if (opts.ramp) {
    if (opts.rate !== undefined || opts.duration !== undefined) throw new ProfileError('--ramp replaces --rate and --duration; give one or the other');
    return parseRamp(opts.ramp);
  }
  let rate: number | undefined;
  if (opts.rate !== undefined) {
    if (!/^\d+$/.test(opts.rate) || Number(opts.rate) === 0) throw new ProfileError(`--rate must be a positive whole number, got "${opts.rate}"`);
    rate = Number(opts.rate);
  }
  return [{ durationMs: parseDuration(opts.duration ?? '10s'), rate }];
}

/** Sorted-sample percentile (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}
