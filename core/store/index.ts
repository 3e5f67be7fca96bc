/** core/store: the Store contracts, the memory and sqlite backends and Kubernetes object semantics over them. */
export type * from './types.js';
export { MemoryBackend, type MemoryBackendOptions } from './memory.js';
export { SqliteBackend, type SqliteBackendOptions, type SqliteCommitStats } from './sqlite.js';
export { createObjectStore, type ObjectStoreOptions } from './objects.js';
export { openStore, type OpenStoreOptions, type StoreKind } from './open.js';
export { defaultHistorySize } from './history.js';
export { foregroundFinalizer, orphanFinalizer } from './semantics.js';
export { objectKey, qualifiedResource } from './keys.js';
