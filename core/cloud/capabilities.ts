/** The machine-readable manifest of what a provider supports; controllers and `skiff plan` read it, never guess. */

export type LbProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface LoadBalancerCapabilities {
  protocols: readonly LbProtocol[];
  /** Internal (VPC-only) load balancers, chosen per Service by a provider annotation. */
  internal: boolean;
  /** `spec.loadBalancerSourceRanges` is enforced. */
  sourceRanges: boolean;
  /** `spec.loadBalancerIP` (a reserved static address) is honoured. */
  staticIP: boolean;
  /** Longest load-balancer name the cloud accepts; `name(svc)` never exceeds it. */
  maxNameLength: number;
  /** The `spec.loadBalancerClass` values this provider serves; a Service with none set is always served. */
  classes: readonly string[];
}

export interface VolumeTypeCapabilities {
  /** Cloud volume type, e.g. `gp3`, `pd-balanced`, `local-dir`. */
  type: string;
  minBytes: number;
  maxBytes: number;
  /** Several nodes may attach it at once. */
  multiAttach: boolean;
}

export interface VolumeCapabilities {
  /** The StorageClass `provisioner` whose claims this provider provisions. */
  provisioner: string;
  types: readonly VolumeTypeCapabilities[];
  defaultType: string;
  /** Most volumes one node may have attached. */
  maxAttachmentsPerNode: number;
}

export interface NodeGroupCapabilities {
  /** Node groups come from the cloud (ASG, MIG) or cloud-config. */
  discovery: boolean;
  /** `deleteNodes` may pick which instances go. */
  deleteSpecificNodes: boolean;
}

/** Absent sections mean the capability is absent (the matching member of `CloudProvider` is `undefined`). */
export interface Capabilities {
  loadBalancers?: LoadBalancerCapabilities;
  volumes?: VolumeCapabilities;
  nodeGroups?: NodeGroupCapabilities;
  instances?: { shutdownDetection: boolean };
}
