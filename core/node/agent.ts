/**
 * The node agent (skiff's kubelet): registers its Node, heartbeats through a Lease and the Ready
 * condition, runs the pods bound to it as local processes and reports their status.
 */
import { join } from 'node:path';
import { ApiError, isConflict, isNotFound, type ConfigMap, type KubeObject, type Node, type PersistentVolume, type PersistentVolumeClaim, type Pod, type Secret, type Service, type Taint } from '../api/index.js';
import type { EventRecorder, KubeClient, SharedInformerFactory, Informer } from '../client/index.js';
import { rfc3339, type Clock, type Logger } from '../util/index.js';
import type { BackoffPolicy } from './backoff.js';
import { builtinImages } from './images.js';
import { PodIPs } from './ipam.js';
import { LogStore } from './logs.js';
import { PodRunner } from './pod.js';
import { statusToWrite } from './status.js';
import { reapOrphans } from './orphans.js';
import { NodeServer } from './server.js';

const t = {
  nodes: { apiVersion: 'v1', plural: 'nodes', namespaced: false },
  pods: { apiVersion: 'v1', plural: 'pods', namespaced: true },
  leases: { apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespaced: true },
  configmaps: { apiVersion: 'v1', plural: 'configmaps', namespaced: true },
  secrets: { apiVersion: 'v1', plural: 'secrets', namespaced: true },
  services: { apiVersion: 'v1', plural: 'services', namespaced: true },
  pvcs: { apiVersion: 'v1', plural: 'persistentvolumeclaims', namespaced: true },
  pvs: { apiVersion: 'v1', plural: 'persistentvolumes', namespaced: false },
} as const;

export interface NodeAgentOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  nodeName: string;
  /** The node's own loopback address, e.g. 127.0.1.1 (its InternalIP). */
  address: string;
  /** First two octets of the pod IP range, e.g. 127.101. */
  podIPPrefix: string;
  capacity: { cpu: string; memory: string; pods?: string };
  labels?: Record<string, string>;
  taints?: Taint[];
  /** Where pod directories and logs live. */
  dataDir: string;
  /** Bearer token the API server presents when it asks for logs and usage. */
  serverToken: string;
  clock: Clock;
  log: Logger;
  heartbeatMs?: number;
  backoff?: BackoffPolicy;
}

export class NodeAgent {
  readonly name: string;
  private readonly runners = new Map<string, PodRunner>(); // by pod uid
  private readonly terminating = new Set<string>();
  private readonly ips: PodIPs;
  private readonly logs: LogStore;
  /** The pod as the agent's last status write returned it (newer than the informer's until the watch catches up). */
  private readonly written = new Map<string, Pod>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** Pods (uid → namespace/name) waiting for a claim's volume to be bound and attached here. */
  private readonly waitingMount = new Map<string, string>();
  private pods: Informer<Pod> | undefined;
  private server: NodeServer | undefined;
  private signal: AbortSignal | undefined;
  /** Set when `shutdown` starts: no status is queued or retried after that. */
  private closed = false;

  constructor(private readonly o: NodeAgentOptions) {
    this.name = o.nodeName;
    this.ips = new PodIPs(o.podIPPrefix);
    this.logs = new LogStore(join(o.dataDir, 'logs'), o.clock);
  }

  async start(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const reaped = reapOrphans(join(this.o.dataDir, 'pods'));
    if (reaped > 0) this.o.log.warn('killed pod processes left by a previous run', { node: this.name, count: reaped });
    this.server = new NodeServer({ address: this.o.address, token: this.o.serverToken, agent: this, logs: this.logs, clock: this.o.clock });
    const port = await this.server.listen();
    await this.register(port);
    const f = this.o.informers;
    f.informerFor<ConfigMap>(t.configmaps);
    f.informerFor<Secret>(t.secrets);
    f.informerFor<Service>(t.services);
    // A pod waiting for its volume starts once the claim is bound and the PV lists this node.
    const retry = { onAdd: () => this.retryMounts(), onUpdate: () => this.retryMounts() };
    f.informerFor<PersistentVolumeClaim>(t.pvcs).addHandlers(retry);
    f.informerFor<PersistentVolume>(t.pvs).addHandlers(retry);
    this.pods = f.informerFor<Pod>(t.pods, { fieldSelector: `spec.nodeName=${this.name}` });
    this.pods.addHandlers({
      onAdd: (p) => this.sync(p),
      onUpdate: (_, p) => this.sync(p),
      onDelete: (p) => void this.forget(p),
    });
    void this.heartbeat(port);
    signal.addEventListener('abort', () => void this.server?.close(), { once: true });
  }

  private nodeObject(port: number): Node {
    const now = rfc3339(this.o.clock.now());
    const cap = { cpu: this.o.capacity.cpu, memory: this.o.capacity.memory, pods: this.o.capacity.pods ?? '110', 'ephemeral-storage': '100Gi' };
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: this.name,
        labels: { 'kubernetes.io/hostname': this.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': process.arch === 'x64' ? 'amd64' : process.arch, ...this.o.labels },
      },
      spec: this.o.taints?.length ? { taints: this.o.taints } : {},
      status: {
        capacity: cap,
        allocatable: cap,
        addresses: [{ type: 'InternalIP', address: this.o.address }, { type: 'Hostname', address: this.name }],
        daemonEndpoints: { kubeletEndpoint: { Port: port } },
        nodeInfo: { kubeletVersion: 'v1.32.0-skiff', kubeProxyVersion: 'v1.32.0-skiff', operatingSystem: 'linux', architecture: process.arch, containerRuntimeVersion: 'skiff-process://1', osImage: 'skiff local processes', kernelVersion: '', machineID: '', systemUUID: '', bootID: '' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'skiff node agent is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      },
    };
  }

  /** Creates the Node, or takes over an existing one (after a restart), keeping what others set. */
  private async register(port: number): Promise<void> {
    const want = this.nodeObject(port);
    try {
      await this.o.client.create(t.nodes, want);
    } catch (e) {
      if (!(e instanceof ApiError) || e.reason !== 'AlreadyExists') throw e;
    }
    await this.postStatus(port);
    this.o.log.info('node registered', { node: this.name, address: this.o.address });
  }

  private async postStatus(port: number): Promise<void> {
    const want = this.nodeObject(port);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const cur = await this.o.client.get<Node>(t.nodes, undefined, this.name);
        const ready = cur.status?.conditions?.find((c) => c.type === 'Ready');
        const wantReady = want.status?.conditions?.[0];
        if (wantReady && ready?.status === 'True' && ready.lastTransitionTime) wantReady.lastTransitionTime = ready.lastTransitionTime;
        const others = (cur.status?.conditions ?? []).filter((c) => c.type !== 'Ready');
        const status = { ...cur.status, ...want.status, addresses: mergeAddresses(cur.status?.addresses, want.status?.addresses), conditions: [...(want.status?.conditions ?? []), ...others] };
        await this.o.client.updateStatus(t.nodes, { ...cur, status });
        return;
      } catch (e) {
        if (!isConflict(e)) throw e;
      }
    }
  }

  private async heartbeat(port: number): Promise<void> {
    const every = this.o.heartbeatMs ?? 10_000;
    const signal = this.signal;
    while (signal && !signal.aborted) {
      try {
        await this.renewLease();
        await this.postStatus(port);
      } catch (e) {
        if (!signal.aborted) this.o.log.warn('heartbeat failed', { node: this.name, error: (e as Error).message });
      }
      await this.o.clock.sleep(every, signal).catch(() => undefined);
    }
  }

  private async renewLease(): Promise<void> {
    const now = new Date(this.o.clock.now()).toISOString().replace('Z', '000Z');
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: 'kube-node-lease' }, spec: { holderIdentity: this.name, leaseDurationSeconds: 40, renewTime: now } };
    try {
      const cur = await this.o.client.get(t.leases, 'kube-node-lease', this.name);
      await this.o.client.update(t.leases, { ...cur, spec: lease.spec });
    } catch (e) {
      if (isNotFound(e)) await this.o.client.create(t.leases, lease);
      else if (!isConflict(e)) throw e;
    }
  }

  private lookups() {
    const f = this.o.informers;
    const cms = f.informerFor<ConfigMap>(t.configmaps);
    const secrets = f.informerFor<Secret>(t.secrets);
    const services = f.informerFor<Service>(t.services);
    const pvcs = f.informerFor<PersistentVolumeClaim>(t.pvcs);
    const pvs = f.informerFor<PersistentVolume>(t.pvs);
    return {
      claimPath: (ns: string, claim: string) => claimPath(this.name, pvcs.get(`${ns}/${claim}`), (pv) => pvs.get(pv)),
      configMap: (ns: string, name: string) => cms.get(`${ns}/${name}`)?.data,
      secret: (ns: string, name: string) => {
        const s = secrets.get(`${ns}/${name}`);
        if (!s) return undefined;
        return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
      },
      get services() {
        return services.list();
      },
    };
  }

  private sync(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    if (pod.spec.nodeName !== this.name || !uid || this.signal?.aborted) return;
    const runner = this.runners.get(uid);
    if (pod.metadata.deletionTimestamp) {
      void this.terminate(pod);
      return;
    }
    if (runner) {
      // Someone may have changed the status (node-lifecycle marks pods NotReady): put it right.
      this.queueStatus(uid);
      return;
    }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    if (!this.claimsReady(pod)) {
      this.waitForMount(pod, uid);
      return;
    }
    this.waitingMount.delete(uid);
    const ip = this.ips.allocate(uid, pod.status?.podIP);
    const r = new PodRunner({
      pod,
      nodeName: this.name,
      podIP: ip,
      hostIP: this.o.address,
      podsDir: join(this.o.dataDir, 'pods'),
      catalog: builtinImages(),
      logs: this.logs,
      lookups: this.lookups(),
      clock: this.o.clock,
      log: this.o.log.child({ pod: `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}` }),
      baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/' },
      listenShim: new URL('./shim/listen.mjs', import.meta.url).href,
      ...(this.o.backoff ? { backoff: this.o.backoff } : {}),
      onChange: () => this.queueStatus(uid),
      onEvent: (type, reason, message) => this.o.recorder.event(pod, type, reason, message),
    });
    this.runners.set(uid, r);
    r.start();
    this.queueStatus(uid);
  }

  /** Whether every claim the pod mounts resolves to a volume attached to this node. */
  private claimsReady(pod: Pod): boolean {
    const look = this.lookups();
    const ns = pod.metadata.namespace ?? 'default';
    return (pod.spec.volumes ?? []).every((v) => !v.persistentVolumeClaim || look.claimPath(ns, v.persistentVolumeClaim.claimName) !== undefined);
  }

  /** Reports the pod as ContainerCreating (once) until its volumes are attached; a PV or PVC change retries. */
  private waitForMount(pod: Pod, uid: string): void {
    if (this.waitingMount.has(uid)) return;
    this.waitingMount.set(uid, `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
    this.o.recorder.event(pod, 'Normal', 'WaitingForVolume', 'waiting for its persistent volumes to be attached to this node');
    const waiting = { waiting: { reason: 'ContainerCreating' } };
    const containerStatuses = pod.spec.containers.map((c) => ({ name: c.name, image: c.image ?? '', imageID: '', ready: false, started: false, restartCount: 0, state: waiting }));
    const status = { phase: 'Pending', hostIP: this.o.address, containerStatuses };
    this.o.client.patch(t.pods, pod.metadata.namespace, pod.metadata.name ?? '', { status }, 'merge', { subresource: 'status' })
      .catch((e: unknown) => { if (!isNotFound(e)) this.o.log.warn('pod status update failed', { pod: pod.metadata.name, error: (e as Error).message }); });
  }

  private retryMounts(): void {
    for (const [uid, key] of [...this.waitingMount]) {
      const pod = this.pods?.get(key);
      if (pod?.metadata.uid === uid) this.sync(pod);
      else this.waitingMount.delete(uid);
    }
  }

  /** Graceful deletion: stop containers within the grace period, then remove the pod for good. */
  private async terminate(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    if (this.terminating.has(uid)) return;
    this.terminating.add(uid);
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    const r = this.runners.get(uid);
    if (r) {
      this.o.recorder.event(pod, 'Normal', 'Killing', `Stopping container ${r.containerNames().join(', ')}`);
      await r.stop(grace, true);
    }
    try {
      await this.o.client.delete(t.pods, pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) this.o.log.warn('final pod delete failed', { pod: pod.metadata.name, error: (e as Error).message });
    }
  }

  private async forget(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const r = this.runners.get(uid);
    this.runners.delete(uid);
    this.written.delete(uid);
    this.waitingMount.delete(uid);
    if (r && !this.terminating.has(uid)) await r.stop(0, true);
    this.terminating.delete(uid);
    this.ips.release(uid);
  }

  /** Writes the pod's status after `delayMs` (coalescing changes); a retry after a failure uses the same timer. */
  private queueStatus(uid: string, delayMs = 20): void {
    if (this.closed || this.pending.has(uid)) return;
    this.pending.set(uid, setTimeout(() => {
      this.pending.delete(uid);
      void this.writeStatus(uid);
    }, delayMs));
  }

  private async writeStatus(uid: string): Promise<void> {
    const r = this.runners.get(uid);
    if (!r || this.terminating.has(uid) || this.closed) return;
    const p = this.stored(r.pod);
    const status = statusToWrite(p.status, r.status(p));
    if (!status) return;
    try {
      const out = await this.o.client.patch<Pod>(t.pods, p.metadata.namespace, p.metadata.name ?? '', { status }, 'merge', { subresource: 'status' });
      this.written.set(uid, out);
    } catch (e) {
      if (!isNotFound(e)) {
        if (!this.closed) this.o.log.warn('pod status update failed', { pod: p.metadata.name, error: (e as Error).message });
        this.queueStatus(uid, 500);
      }
    }
  }

  /** The newest copy of `pod` the agent has: the informer's, or what its own last status write returned. */
  private stored(pod: Pod): Pod {
    const uid = pod.metadata.uid ?? '';
    const cached = this.pods?.get(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
    const written = this.written.get(uid);
    const candidates = [cached?.metadata.uid === uid ? cached : undefined, written, pod].filter((x): x is Pod => x !== undefined);
    return candidates.reduce((a, b) => (Number(b.metadata.resourceVersion ?? 0) > Number(a.metadata.resourceVersion ?? 0) ? b : a));
  }

  /** For the node server: the runner of a pod by namespace and name. */
  runnerFor(namespace: string, name: string): PodRunner | undefined {
    for (const r of this.runners.values()) if (r.pod.metadata.namespace === namespace && r.pod.metadata.name === name) return r;
    return undefined;
  }

  /** Every pod running here, for usage reports. */
  allRunners(): PodRunner[] {
    return [...this.runners.values()];
  }

  /**
   * Stops every pod (skiff is shutting down): containers get SIGTERM, then SIGKILL after their grace period.
   * No status is written from the start: the containers stop because the node does, not because the pods
   * ended, so their last reported phase stays (as when a kubelet restarts) and the next start runs them
   * again — instead of recording every pod as Failed, which left bare pods dead and made controllers
   * replace the rest. Nor is anything retried: the API server is about to go away, and a retry loop
   * against a closed server would keep the process alive forever.
   */
  async shutdown(graceSeconds = 5): Promise<void> {
    this.closed = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.all([...this.runners.values()].map((r) => r.stop(Math.min(graceSeconds, r.pod.spec.terminationGracePeriodSeconds ?? 30), false)));
    await this.server?.close();
  }
}

/** The PV annotation listing the nodes a volume is attached to (set by the cloud volume controller). */
const ATTACHED_NODES_ANNOTATION = 'skiff.dev/attached-node';

/** Host directory of the claim's volume when it is bound and attached to `node`; else `undefined`. Pure. */
function claimPath(node: string, pvc: PersistentVolumeClaim | undefined, pvByName: (name: string) => PersistentVolume | undefined): string | undefined {
  const pvName = pvc?.spec?.volumeName;
  const pv = pvName ? pvByName(pvName) : undefined;
  if (!pv) return undefined;
  const attached = (pv.metadata.annotations?.[ATTACHED_NODES_ANNOTATION] ?? '').split(',');
  if (!attached.includes(node)) return undefined;
  return pv.spec?.csi?.volumeAttributes?.path ?? pv.spec?.hostPath?.path;
}

function mergeAddresses(cur: NonNullable<Node['status']>['addresses'], mine: NonNullable<Node['status']>['addresses']): NonNullable<Node['status']>['addresses'] {
  const out = [...(mine ?? [])];
  for (const a of cur ?? []) if (!out.some((b) => b.type === a.type)) out.push(a);
  return out;
}

export type { KubeObject };
