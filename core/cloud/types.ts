/**
 * The cloud-provider interfaces (STYLE.md §2, §3): named for their role, split by capability.
 * A capability a provider lacks is `undefined`. Inputs are read-only: no method mutates the
 * objects it is given. Every method takes an `AbortSignal` and rejects with `CloudError`.
 */
import type { Node, NodeAddress, LoadBalancerIngress, Service, Taint, ResourceList } from '../api/index.js';
import type { Clock, Logger } from '../util/index.js';
import type { Capabilities } from './capabilities.js';

export interface CloudProvider {
  /** Registry name; also the providerID scheme (`<name>://…`). */
  readonly name: string;
  readonly capabilities: Capabilities;
  readonly instances?: Instances;
  readonly loadBalancers?: LoadBalancers;
  readonly volumes?: Volumes;
  readonly nodeGroups?: NodeGroups;
  /** Releases sockets, timers and clients. Cloud resources are left as they are. */
  close?(): Promise<void>;
}

export interface InstanceMetadata {
  /** `<provider>://<cloud-specific id>`. */
  providerID: string;
  instanceType: string;
  addresses: readonly NodeAddress[];
  zone: string;
  region: string;
  /** Extra labels the node controller adds to the Node. */
  labels?: Readonly<Record<string, string>>;
}

/** Kubernetes' InstancesV2: instances are looked up from the Node (providerID first, then name). */
export interface Instances {
  /** Whether the instance behind `node` exists. A stopped instance exists; only a deleted one does not. */
  exists(node: Node, signal: AbortSignal): Promise<boolean>;
  /** Whether the instance is shut down (stopped). Rejects with NotFound when it does not exist. */
  shutdown(node: Node, signal: AbortSignal): Promise<boolean>;
  /** Identity and placement of the instance. Rejects with NotFound when it does not exist. */
  metadata(node: Node, signal: AbortSignal): Promise<InstanceMetadata>;
}

export interface LoadBalancerStatus {
  ingress: LoadBalancerIngress[];
}

/** A load balancer as the cloud holds it, found by its ownership tags. */
export interface LoadBalancerInfo {
  name: string;
  /** Ownership tags: cluster and owning Service UID (see `ownerTags`). */
  tags: Readonly<Record<string, string>>;
  status: LoadBalancerStatus;
  /** Opaque digest of the cloud-side configuration, equal for equal desired state (see `plan`). */
  hash?: string;
}

/** One change a mutating call would make; what `plan` returns and `skiff plan` prints. */
export interface PlannedChange {
  action: 'create' | 'update' | 'delete';
  /** Cloud resource kind, e.g. `load-balancer`, `listener`, `target`. */
  resource: string;
  name: string;
  detail?: string;
}

export interface LoadBalancers {
  /** The load balancer owned by `svc` (found by its UID tag, never by the current spec), or `undefined`. */
  get(svc: Service, signal: AbortSignal): Promise<LoadBalancerInfo | undefined>;
  /** Deterministic from `svc.metadata.uid`, within `capabilities.loadBalancers.maxNameLength`. Pure. */
  name(svc: Service): string;
  /**
   * Creates or updates the load balancer for `svc` with `nodes` as backends. Idempotent: a call with
   * the same inputs as the last makes no cloud changes; adopts a load balancer this cluster created
   * earlier (after a restart, or a failed partial create). When the Service's annotations change the kind
   * of balancer, the old one is replaced, never leaked.
   */
  ensure(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<LoadBalancerStatus>;
  /** Sets the backends only. Rejects with NotFound when there is no load balancer for `svc`. */
  updateHosts(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<void>;
  /** Deletes every cloud resource owned by `svc`. Idempotent: resolves when there is nothing to delete. */
  ensureDeleted(svc: Service, signal: AbortSignal): Promise<void>;
  /** Dry run: the changes `ensure(svc, nodes)` would make now. An empty list means steady state. Read-only. */
  plan(svc: Service, nodes: readonly Node[], signal: AbortSignal): Promise<PlannedChange[]>;
  /** Every load balancer tagged for this cluster (the ownership sweep and leak checks use it). */
  list(signal: AbortSignal): Promise<LoadBalancerInfo[]>;
}

export interface VolumeSpec {
  /** Idempotency key: `pvc-<claim uid>`; a second create with the same key returns the first volume. */
  key: string;
  sizeBytes: number;
  /** Cloud volume type; the provider's default when absent. */
  type?: string;
  zone?: string;
  /** Ownership tags (`ownerTags`), stored with the volume. */
  tags: Readonly<Record<string, string>>;
  parameters?: Readonly<Record<string, string>>;
}

export interface VolumeInfo {
  id: string;
  key: string;
  sizeBytes: number;
  type: string;
  zone?: string;
  tags: Readonly<Record<string, string>>;
  /** Names of the nodes it is attached to. */
  attachedTo: readonly string[];
  /** Where a node finds its content (the fake: a directory). */
  path?: string;
}

export interface Volumes {
  /** Creates the volume, or returns the one already created under `spec.key`. */
  create(spec: VolumeSpec, signal: AbortSignal): Promise<VolumeInfo>;
  /** Deletes the volume. Idempotent (missing is success). Rejects with Conflict while it is attached. */
  delete(id: string, signal: AbortSignal): Promise<void>;
  /** Attaches to `nodeName`. Idempotent. Rejects with NotFound for a missing volume. */
  attach(id: string, nodeName: string, signal: AbortSignal): Promise<VolumeInfo>;
  /** Detaches from `nodeName`. Idempotent (not attached, or missing, is success). */
  detach(id: string, nodeName: string, signal: AbortSignal): Promise<void>;
  /** The volume, or rejects with NotFound. */
  describe(id: string, signal: AbortSignal): Promise<VolumeInfo>;
  /** Every volume tagged for this cluster. */
  list(signal: AbortSignal): Promise<VolumeInfo[]>;
}

export type InstanceState = 'creating' | 'running' | 'deleting';
/** Why an instance failed to come up, cluster-autoscaler style. */
export type InstanceErrorClass = 'OutOfResources' | 'Other';

export interface NodeGroupInstance {
  /** Node name it registers as. */
  name: string;
  providerID: string;
  state: InstanceState;
  error?: { class: InstanceErrorClass; code: string; message: string };
}

export interface NodeTemplate {
  capacity: ResourceList;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  instanceType?: string;
  zone?: string;
}

export interface NodeGroupInfo {
  name: string;
  min: number;
  max: number;
  targetSize: number;
  instances: readonly NodeGroupInstance[];
  template: NodeTemplate;
}

export interface NodeGroups {
  list(signal: AbortSignal): Promise<NodeGroupInfo[]>;
  /** Raises the target size by `delta` > 0. Rejects with InvalidArgument beyond `max`; NotFound for an unknown group. */
  increase(group: string, delta: number, signal: AbortSignal): Promise<void>;
  /** Deletes these nodes' instances and lowers the target size. Rejects with InvalidArgument below `min`. */
  deleteNodes(group: string, nodeNames: readonly string[], signal: AbortSignal): Promise<void>;
  /** Lowers the target size by `delta` > 0 without deleting running instances (only unfulfilled requests). */
  decreaseTargetSize(group: string, delta: number, signal: AbortSignal): Promise<void>;
}

/** What every factory gets (STYLE.md §5). */
export interface ProviderOptions {
  /** The parsed cloud-config file (`{}` when none). */
  cloudConfig: Readonly<Record<string, unknown>>;
  /** Tag value naming this cluster on every cloud resource. */
  clusterName: string;
  /** Where a provider may keep local state. */
  dataDir: string;
  log: Logger;
  clock: Clock;
}

export type ProviderFactory = (opts: ProviderOptions) => CloudProvider | Promise<CloudProvider>;
