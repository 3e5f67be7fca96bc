/** providers/fake: an in-memory cloud with real loopback load balancers, directory volumes and local node groups. */
export { createFakeProvider, fakeProviderFactory, fakeCapabilities, FAKE_PROVISIONER } from './provider.js';
export type { FakeExtras, FakeProvider } from './provider.js';
export { FakeCloud } from './cloud.js';
export type { CallLogEntry, FakeCloudOptions, InstanceRecord, InstanceStatus, VolumeRecord } from './cloud.js';
export type { FaultRule, FaultError } from './faults.js';
export type { NodeLauncher, NodeGroupConfig } from './nodegroups.js';
export { parseNodeGroups } from './nodegroups.js';
export { SCHEME_ANNOTATION } from './lb-plan.js';
export { fakeStorageClasses } from './storage.js';
export { FAKE_REGION, FAKE_ZONE, FAKE_INSTANCE_TYPE } from './instances.js';
