/** The Compute custom methods the provider uses, and the fields inserts fill in. Effects run when the operation is DONE. */
import { GceError, LINK_BASE } from './store.js';
import type { Resource , FakeStore} from './store.js';

export interface VerbCall {
  store: FakeStore;
  scope: string;
  collection: string;
  name: string;
  path: string;
  body: Resource;
  query: URLSearchParams;
}

const pathOf = (link: unknown): string => String(link).replace(LINK_BASE, '');
const refs = (body: Resource): string[] => ((body.instances ?? []) as Resource[]).map((i) => String(typeof i === 'string' ? i : i.instance));

/** Fills in what the API sets on insert (addresses, IPs, status). */
export function withDefaults(store: FakeStore, collection: string, body: Resource): Resource {
  switch (collection) {
    case 'addresses':
      return { status: 'RESERVED', address: body.address ?? store.nextIp(body.addressType === 'INTERNAL' ? '10.128.0' : '203.0.113'), ...body };
    case 'forwardingRules':
      return { ...body, IPAddress: body.IPAddress ?? store.nextIp(body.loadBalancingScheme === 'INTERNAL' ? '10.128.1' : '198.51.100') };
    case 'disks':
      return { status: 'READY', users: [], ...body, sizeGb: String(body.sizeGb ?? '10') };
    case 'targetPools':
      return { instances: [], healthChecks: [], ...body };
    case 'instanceGroups':
      return { size: 0, ...body, members: [] };
    default:
      return body;
  }
}

/** Checks the request; returns the effect to run when the operation completes. */
export function verb(v: VerbCall, name: string): () => void {
  const target = v.store.get(v.path);
  switch (`${v.collection}.${name}`) {
    case 'instances.attachDisk': {
      const disk = v.store.get(pathOf(v.body.source));
      const device = String(v.body.deviceName ?? disk.name);
      const disks = (target.disks ?? []) as Resource[];
      if (disks.some((d) => d.deviceName === device)) throw new GceError(400, 'invalid', `Invalid value for field 'resource.deviceName': '${device}'. Device name is in use.`);
      return () => {
        target.disks = [...disks, { deviceName: device, source: v.body.source, mode: v.body.mode ?? 'READ_WRITE', type: 'PERSISTENT' }];
        disk.users = [...((disk.users ?? []) as string[]), target.selfLink];
      };
    }
    case 'instances.detachDisk': {
      const device = v.query.get('deviceName') ?? '';
      const disks = (target.disks ?? []) as Resource[];
      const found = disks.find((d) => d.deviceName === device);
      if (!found) throw new GceError(400, 'invalid', `Invalid value for field 'deviceName': '${device}'. No disk with the device name is attached.`);
      return () => {
        target.disks = disks.filter((d) => d !== found);
        const disk = v.store.resources.get(pathOf(found.source));
        if (disk) disk.users = ((disk.users ?? []) as string[]).filter((u) => u !== target.selfLink);
      };
    }
    case 'targetPools.addInstance':
      return () => { target.instances = [...new Set([...((target.instances ?? []) as string[]), ...refs(v.body)])]; };
    case 'targetPools.removeInstance':
      return () => { target.instances = ((target.instances ?? []) as string[]).filter((i) => !refs(v.body).includes(i)); };
    case 'instanceGroups.addInstances':
      return () => { target.members = [...new Set([...((target.members ?? []) as string[]), ...refs(v.body)])]; target.size = (target.members as string[]).length; };
    case 'instanceGroups.removeInstances':
      return () => { target.members = ((target.members ?? []) as string[]).filter((i) => !refs(v.body).includes(i)); target.size = (target.members as string[]).length; };
    case 'instanceGroupManagers.resize':
      return () => resize(v, target, Number(v.query.get('size') ?? '0'));
    case 'instanceGroupManagers.deleteInstances':
      return () => {
        const gone = refs(v.body).map(pathOf);
        for (const p of gone) v.store.resources.delete(p);
        target.targetSize = Math.max(0, Number(target.targetSize) - gone.length);
      };
    default:
      throw new GceError(400, 'invalid', `unknown method ${v.collection}.${name}`);
  }
}

/** Read-only custom methods answered directly. */
export function readVerb(v: VerbCall, name: string): Resource | undefined {
  const target = v.store.get(v.path);
  if (`${v.collection}.${name}` === 'instanceGroups.listInstances') {
    return { items: ((target.members ?? []) as string[]).map((instance) => ({ instance, status: 'RUNNING' })) };
  }
  if (`${v.collection}.${name}` === 'instanceGroupManagers.listManagedInstances') {
    return { managedInstances: membersOf(v.store, v.scope, String(target.name)).map((i) => ({ instance: i.selfLink, instanceStatus: i.status, currentAction: 'NONE', name: i.name })) };
  }
  return undefined;
}

function membersOf(store: FakeStore, zoneScope: string, mig: string): Resource[] {
  return [...store.resources.entries()]
    .filter(([p, r]) => p.startsWith(`${zoneScope}/instances/`) && (r.labels as Record<string, string> | undefined)?.['skiff-fake-mig'] === mig)
    .map(([, r]) => r);
}

let instSeq = 0;

function resize(v: VerbCall, mig: Resource, size: number): void {
  const members = membersOf(v.store, v.scope, String(mig.name));
  const template = v.store.resources.get(pathOf(mig.instanceTemplate));
  const props = (template?.properties ?? {}) as Resource;
  for (let i = members.length; i < size; i++) {
    const name = `${String(mig.baseInstanceName ?? mig.name)}-${(++instSeq).toString(36).padStart(4, '0')}`;
    v.store.put(`${v.scope}/instances/${name}`, {
      kind: 'compute#instance', name, status: 'RUNNING', zone: LINK_BASE + v.scope,
      machineType: `${LINK_BASE}${v.scope}/machineTypes/${String(props.machineType ?? 'e2-medium')}`,
      labels: { ...((props.labels ?? {}) as Record<string, string>), 'skiff-fake-mig': String(mig.name) },
      networkInterfaces: [{ networkIP: v.store.nextIp('10.128.2') }],
    });
  }
  for (const extra of members.slice(size)) v.store.resources.delete(String(extra.selfLink).replace(LINK_BASE, ''));
  mig.targetSize = size;
}
