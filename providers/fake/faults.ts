/** Fault injection for the fake cloud: one-shot or persistent errors (throttling, 5xx, any code) and latency, per operation. */
import { CloudError } from '../../core/cloud/index.js';
import type { CloudErrorCode } from '../../core/cloud/index.js';
import type { Clock } from '../../core/util/index.js';

/** `Throttled` and `5xx` are shorthands for what real clouds send most; any CloudError code is accepted. */
export type FaultError = CloudErrorCode | '5xx';

export interface FaultRule {
  /** Cloud operation (e.g. `createListener`), or `*` (default) for every operation. */
  op?: string;
  /** Only mutating (or only read) operations. */
  mutating?: boolean;
  error?: FaultError;
  latencyMs?: number;
  /** Fire this many times, then retire (one-shot = 1). Persistent when absent. */
  times?: number;
  /** Fire on every n-th matching call only (1 = every call). */
  everyNth?: number;
}

interface LiveRule extends FaultRule {
  seen: number;
  fired: number;
}

function toError(code: FaultError, op: string): CloudError {
  if (code === '5xx') return new CloudError('Transient', `injected 503 Service Unavailable on ${op}`);
  if (code === 'Throttled') return new CloudError('Throttled', `injected throttling on ${op}: rate exceeded`, { retryAfterMs: 10 });
  return new CloudError(code, `injected ${code} on ${op}`);
}

export function parseFaultRules(raw: unknown): FaultRule[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null).map((r) => ({
    ...(typeof r.op === 'string' ? { op: r.op } : {}),
    ...(typeof r.mutating === 'boolean' ? { mutating: r.mutating } : {}),
    ...(typeof r.error === 'string' ? { error: r.error as FaultError } : {}),
    ...(typeof r.latencyMs === 'number' ? { latencyMs: r.latencyMs } : {}),
    ...(typeof r.times === 'number' ? { times: r.times } : {}),
    ...(typeof r.everyNth === 'number' ? { everyNth: r.everyNth } : {}),
  }));
}

export class Faults {
  private rules: LiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, seen: 0, fired: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * Applies matching latency, then throws the first matching error; rules after the one that throws
   * are not consulted for this call (so a one-shot rule is spent only when it is the one that fails).
   */
  async before(op: string, mutating: boolean, clock: Clock, signal: AbortSignal): Promise<void> {
    let err: CloudError | undefined;
    for (const r of this.rules) {
      if ((r.op ?? '*') !== '*' && r.op !== op) continue;
      if (r.mutating !== undefined && r.mutating !== mutating) continue;
      r.seen++;
      if (r.everyNth && r.seen % r.everyNth !== 0) continue;
      r.fired++;
      if (r.latencyMs) await clock.sleep(r.latencyMs, signal);
      if (r.error) {
        err = toError(r.error, op);
        break;
      }
    }
    this.rules = this.rules.filter((r) => r.times === undefined || r.fired < r.times);
    if (err) throw err;
  }
}
