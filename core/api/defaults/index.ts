/** Kubernetes defaulting for built-in kinds, keyed by `group/Kind`. */
import type { KubeObject } from '../meta.js';

export const builtinDefaults: Record<string, (obj: KubeObject) => void> = {};
