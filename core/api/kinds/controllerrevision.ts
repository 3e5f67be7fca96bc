/** `apps/v1` ControllerRevision: an immutable snapshot of a StatefulSet's or DaemonSet's template. */
import type { KubeObject } from '../meta.js';

export interface ControllerRevision extends KubeObject {
  /** The snapshot (a strategic-merge patch of the owner's `spec.template`); immutable once created. */
  data?: unknown;
  /** The revision number (int64); only this may change after creation. */
  revision: number;
}
