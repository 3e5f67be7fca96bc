/** What a provider hands the conformance kit, the fixtures the kit builds, and its retry helper. */
import type { Node, Service } from '../../core/api/index.js';
import { isRetryable } from '../../core/cloud/index.js';
import type { CloudProvider } from '../../core/cloud/index.js';

export interface ConformanceSubject {
  provider: CloudProvider;
  /** The cluster name the provider tags resources with; default `skiff`. */
  clusterName?: string;
  /** A new provider instance over the same cloud state (a controller restart). */
  restart(): Promise<CloudProvider>;
  /** Cloud-level mutating calls so far (an SDK call log). Enables the strict "no mutating call" checks. */
  mutatingCalls?(): number;
  /** Makes the next load-balancer `ensure` fail, non-retryably, after it created something in the cloud. */
  failPartway?(): void;
  /** Instance state hooks for the stopped-is-not-deleted case. */
  stopInstance?(nodeName: string): void;
  deleteInstance?(nodeName: string): void;
  /** A Service annotation that changes the kind of load balancer (e.g. internal), for the no-leak case. */
  variantAnnotation?: { key: string; value: string };
  /** Nodes the provider recognises; the kit builds `node-a..c` on 127.0.0.1 when absent. */
  nodes?: Node[];
  close(): Promise<void>;
}

export type ConformanceFactory = () => Promise<ConformanceSubject>;

export interface ConformanceOptions {
  /** Attempts per call on retryable errors (throttling, 5xx); default 25. */
  attempts?: number;
  /** Service ports for load balancers; default a random port in 20000–29999 per Service. */
  port?: () => number;
}

let uidSeq = 0;

/** A fresh UID-shaped string. */
export function newUid(): string {
  const n = (++uidSeq).toString(16).padStart(12, '0');
  const r = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
  return `${r}-0000-4000-8000-${n}`;
}

export function makeService(opts: { name: string; uid?: string; port: number; nodePort?: number; annotations?: Record<string, string> }): Service {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: opts.name, namespace: 'conformance', uid: opts.uid ?? newUid(), ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: { type: 'LoadBalancer', ports: [{ name: 'web', protocol: 'TCP', port: opts.port, targetPort: 8080, nodePort: opts.nodePort ?? 31080 }] },
  };
}

export function makeNode(name: string, ip = '127.0.0.1'): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, uid: newUid(), labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }], conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** Calls `fn` until it succeeds or fails non-retryably, as a controller's back-off would. */
export async function retrying<T>(fn: () => Promise<T>, attempts = 25): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!isRetryable(e) || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 1));
    }
  }
}
