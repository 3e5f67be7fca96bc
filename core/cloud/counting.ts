/** A counting proxy: every call through a provider's capabilities is reported (metrics, tests, the conformance kit). */
import { isCloudError } from './errors.js';
import type { CloudProvider } from './types.js';

export interface CallRecord {
  /** `<capability>.<method>`, e.g. `loadBalancers.ensure`. */
  operation: string;
  /** `ok`, a CloudError code, or `error`. */
  outcome: string;
  durationMs: number;
}

/** Methods that are interface reads (no cloud change possible). */
const readOnly = new Set(['get', 'plan', 'list', 'describe', 'exists', 'shutdown', 'metadata']);

/** Whether an interface operation may change the cloud. */
export function isMutatingOperation(operation: string): boolean {
  const method = operation.slice(operation.indexOf('.') + 1);
  return !readOnly.has(method);
}

function outcomeOf(e: unknown): string {
  return isCloudError(e) ? e.code : 'error';
}

function wrapCapability<T extends object>(cap: T, capName: string, onCall: (r: CallRecord) => void, now: () => number): T {
  return new Proxy(cap, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || typeof prop !== 'string' || prop === 'name') return v;
      const fn = v as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const start = now();
        const operation = `${capName}.${prop}`;
        let result: unknown;
        try {
          result = fn.apply(target, args);
        } catch (e) {
          onCall({ operation, outcome: outcomeOf(e), durationMs: now() - start });
          throw e;
        }
        if (result instanceof Promise) {
          return result.then(
            (r: unknown) => { onCall({ operation, outcome: 'ok', durationMs: now() - start }); return r; },
            (e: unknown) => { onCall({ operation, outcome: outcomeOf(e), durationMs: now() - start }); throw e; },
          );
        }
        onCall({ operation, outcome: 'ok', durationMs: now() - start });
        return result;
      };
    },
  });
}

/**
 * The same provider with every capability method (except the pure `name`) reported to `onCall`
 * when it settles. The wrapped provider's capabilities stay `undefined` where the original's are.
 */
export function countCalls(provider: CloudProvider, onCall: (r: CallRecord) => void, now: () => number = Date.now): CloudProvider {
  const w = <T extends object>(cap: T | undefined, n: string): T | undefined => (cap ? wrapCapability(cap, n, onCall, now) : undefined);
  const out: CloudProvider = {
    name: provider.name,
    capabilities: provider.capabilities,
    ...(provider.instances ? { instances: w(provider.instances, 'instances') } : {}),
    ...(provider.loadBalancers ? { loadBalancers: w(provider.loadBalancers, 'loadBalancers') } : {}),
    ...(provider.volumes ? { volumes: w(provider.volumes, 'volumes') } : {}),
    ...(provider.nodeGroups ? { nodeGroups: w(provider.nodeGroups, 'nodeGroups') } : {}),
    ...(provider.close ? { close: () => provider.close?.() ?? Promise.resolve() } : {}),
  };
  return out;
}
