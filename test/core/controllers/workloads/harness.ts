/** Integration harness: an in-process API server, informers, an event recorder and helpers that play the node agent's part. */
import { isAlreadyExists } from '../../../../core/api/index.js';
import type { Event, Pod } from '../../../../core/api/index.js';
import { EventRecorder, SharedInformerFactory, eventTarget } from '../../../../core/client/index.js';
import type { KubeClient } from '../../../../core/client/index.js';
import { rfc3339, silentLogger, systemClock } from '../../../../core/util/index.js';
import type { Clock } from '../../../../core/util/index.js';
import { startTestServer } from '../../client/harness.js';
import type { TestServer } from '../../client/harness.js';

export { eventually } from '../../client/harness.js';

export const pods = { apiVersion: 'v1', plural: 'pods', namespaced: true };
export const replicasets = { apiVersion: 'apps/v1', plural: 'replicasets', namespaced: true };
export const deployments = { apiVersion: 'apps/v1', plural: 'deployments', namespaced: true };
export const services = { apiVersion: 'v1', plural: 'services', namespaced: true };
export const endpoints = { apiVersion: 'v1', plural: 'endpoints', namespaced: true };
export const nodes = { apiVersion: 'v1', plural: 'nodes', namespaced: false };
export const leases = { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true };
const namespaces = { apiVersion: 'v1', plural: 'namespaces', namespaced: false };

export interface Env {
  server: TestServer;
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock: Clock;
  signal: AbortSignal;
  close(): Promise<void>;
}

export async function startEnv(clock: Clock = systemClock): Promise<Env> {
  const server = await startTestServer();
  const client = server.client;
  for (const name of ['default', 'kube-node-lease']) {
    try {
      await client.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
  const stop = new AbortController();
  const informers = new SharedInformerFactory({ client, clock, log: silentLogger });
  const recorder = new EventRecorder({ client, component: 'test-controllers', clock, log: silentLogger, burst: 1000, refillPerSecond: 100 });
  return {
    server, client, informers, recorder, clock, signal: stop.signal,
    close: async () => {
      stop.abort();
      await informers.stopped();
      await recorder.flush();
      await server.close();
    },
  };
}

/** Plays the node agent: gives the pod an IP and marks it Running and Ready (or not). */
export async function setPodReady(client: KubeClient, pod: Pod, ready: boolean, ip?: string, at = Date.now()): Promise<Pod> {
  const status: Pod['status'] = {
    ...pod.status,
    phase: 'Running',
    podIP: ip ?? pod.status?.podIP ?? '10.1.0.1',
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339(at) }],
  };
  return client.updateStatus<Pod>(pods, { ...pod, status });
}

export async function listPods(client: KubeClient, labelSelector?: string): Promise<Pod[]> {
  return (await client.list<Pod>(pods, { namespace: 'default', ...(labelSelector ? { labelSelector } : {}) })).items;
}

export async function listEvents(client: KubeClient): Promise<Event[]> {
  return (await client.list<Event>(eventTarget, { namespace: 'default' })).items;
}

export const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Plays the node agent for every pod in `default`: not-ready pods become ready on the next tick (about 30 ms). */
export function fakeKubelet(env: Env, signal: AbortSignal): Promise<void> {
  return (async () => {
    let ip = 1;
    while (!signal.aborted) {
      for (const p of await listPods(env.client).catch(() => [] as Pod[])) {
        if (!isReady(p)) await setPodReady(env.client, p, true, `10.2.0.${ip++ % 250}`).catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 30));
    }
  })();
}

/** Starts `fakeKubelet`; the returned function stops it and waits (pass it to `t.after`). */
export function startFakeKubelet(env: Env): () => Promise<void> {
  const stop = new AbortController();
  const run = fakeKubelet(env, stop.signal);
  return async () => {
    stop.abort();
    await run;
  };
}
