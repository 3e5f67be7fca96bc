/** Fixtures shared by the server-side apply and update-tracking tests. */
import assert from 'node:assert/strict';
import { recordUpdateManager, serverSideApply, type ApplyResult } from '../../../../core/apiserver/patch/index.js';
import { deploymentSchema } from './schemas.js';

export type Obj = Record<string, unknown>;
export const now = new Date('2026-01-02T03:04:05.678Z');
export const later = new Date('2026-01-02T04:00:00.000Z');

/** An applied Deployment configuration, as `kubectl apply --server-side` sends it. */
export function config(opts: { replicas?: number; image?: string; labels?: Record<string, string>; containers?: Obj[]; finalizers?: string[] } = {}): Obj {
  const metadata: Obj = { name: 'web', namespace: 'default' };
  if (opts.labels) metadata.labels = opts.labels;
  if (opts.finalizers) metadata.finalizers = opts.finalizers;
  const spec: Obj = {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: opts.containers ?? [{ name: 'app', image: opts.image ?? 'nginx:1.25' }] } },
  };
  if (opts.replicas !== undefined) spec.replicas = opts.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec };
}

/** Applies, checking on the way that neither input is mutated. */
export function apply(live: Obj | undefined, applied: Obj, manager = 'kubectl', force = false): ApplyResult {
  const before = structuredClone({ live, applied });
  const r = serverSideApply(live, applied, manager, deploymentSchema, { force, now });
  assert.deepEqual({ live, applied }, before, 'inputs must not be mutated');
  return r;
}

export function ok(live: Obj | undefined, applied: Obj, manager = 'kubectl', force = false): Obj {
  const r = apply(live, applied, manager, force);
  assert.deepEqual(r.conflicts, []);
  return r.object;
}

export const get = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((cur, k) => (cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined), o);

export interface Entry {
  manager: string;
  operation: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1: Obj;
}
export const entries = (o: Obj): Entry[] => (get(o, 'metadata', 'managedFields') ?? []) as Entry[];
export const entry = (o: Obj, manager: string): Entry | undefined => entries(o).find((e) => e.manager === manager);
export const owns = (o: Obj, manager: string, ...path: string[]): boolean => get(entry(o, manager)?.fieldsV1, ...path) !== undefined;

/** Simulates a non-apply write (an Update) by `manager`. */
export function update(before: Obj, manager: string, edit: (o: Obj) => void): Obj {
  const after = structuredClone(before);
  edit(after);
  return recordUpdateManager(before, after, manager, deploymentSchema, { now: later });
}

