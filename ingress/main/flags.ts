/** The flags of `skiff ingress`, parsed and checked once, in the primary and in each worker alike. */
import { parseArgs } from 'node:util';
import type { EngineName } from '../proxy/engine.js';

export interface IngressFlags {
  readonly kubeconfig: string | undefined;
  readonly httpPort: number;
  readonly httpsPort: number;
  /** `0` = a free port (logged). */
  readonly metricsPort: number;
  readonly className: string;
  readonly address: string;
  readonly publishService: string | undefined;
  readonly publishAddress: string | undefined;
  readonly engine: EngineName;
  readonly accessLog: boolean;
  readonly workers: number;
}

const options = {
  kubeconfig: { type: 'string' }, 'ingress-http-port': { type: 'string' }, 'ingress-https-port': { type: 'string' },
  'metrics-port': { type: 'string' }, 'ingress-class': { type: 'string' }, address: { type: 'string' },
  'publish-service': { type: 'string' }, 'publish-address': { type: 'string' }, engine: { type: 'string' },
  'access-log': { type: 'boolean' }, 'ingress-workers': { type: 'string' },
} as const;

function port(v: string | undefined, def: number, flag: string): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag}: not a port: ${v}`);
  return n;
}

/** Throws an Error naming the flag on a bad value or an unknown flag. */
export function parseIngressFlags(argv: readonly string[]): IngressFlags {
  const { values } = parseArgs({ args: [...argv], options, strict: true });
  const workers = Number(values['ingress-workers'] ?? 1);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`--ingress-workers: not a positive integer: ${values['ingress-workers'] ?? ''}`);
  const engine = values.engine ?? 'undici';
  if (engine !== 'undici' && engine !== 'http-proxy') throw new Error(`--engine: undici or http-proxy, not ${engine}`);
  return {
    kubeconfig: values.kubeconfig,
    httpPort: port(values['ingress-http-port'], 8080, '--ingress-http-port'),
    httpsPort: port(values['ingress-https-port'], 8443, '--ingress-https-port'),
    metricsPort: port(values['metrics-port'], 10254, '--metrics-port'),
    className: values['ingress-class'] ?? 'skiff',
    address: values.address ?? '127.0.0.1',
    publishService: values['publish-service'],
    publishAddress: values['publish-address'],
    engine,
    accessLog: values['access-log'] === true,
    workers,
  };
}
