/** Pure Endpoints computation (Kubernetes' endpoints_controller.go syncService and RepackSubsets). */
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from '../../api/index.js';
import { isPodReady } from './common.js';

/** Kubernetes' ShouldPodBeInEndpoints: has an IP, not being deleted (unless tolerated), not finished for good. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const phase = pod.status.phase;
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Never') return phase !== 'Failed' && phase !== 'Succeeded';
  if (policy === 'OnFailure') return phase !== 'Succeeded';
  return true;
}

/** Kubernetes' FindPort: a number as it is, a name looked up among the pod's container ports of the same protocol. */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** Kubernetes' ShouldSetHostname: a pod whose subdomain names this Service publishes its hostname (StatefulSet pods' DNS names). */
export function publishedHostname(pod: Pod, svc: Service): string | undefined {
  const h = pod.spec.hostname;
  return h && pod.spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace ? h : undefined;
}

function addressOf(pod: Pod, svc: Service): EndpointAddress {
  const hostname = publishedHostname(pod, svc);
  return {
    ip: pod.status?.podIP ?? '',
    ...(hostname ? { hostname } : {}),
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

interface Entry { addr: EndpointAddress; ready: boolean; ports: EndpointPort[] }

/**
 * The subsets of the Endpoints for `svc` over `pods` (already filtered by the selector): ready
 * pods in `addresses`, others in `notReadyAddresses` (all ready with `publishNotReadyAddresses`),
 * each pod with the ports it resolves; pods resolving the same ports share a subset.
 */
export function computeSubsets(svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const tolerate = svc.spec?.publishNotReadyAddresses === true;
  const headless = svc.spec?.clusterIP === 'None';
  const entries: Entry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerate)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const servicePorts = svc.spec?.ports ?? [];
    if (servicePorts.length > 0 && ports.length === 0) continue;
    if (servicePorts.length === 0 && !headless) continue;
    entries.push({ addr: addressOf(pod, svc), ready: tolerate || isPodReady(pod), ports });
  }
  return repack(entries);
}

const portKey = (p: EndpointPort): string => JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? '']);
const addrKey = (a: EndpointAddress): string => `${a.ip}/${a.targetRef?.uid ?? ''}`;

function compareAddr(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip.localeCompare(b.ip, 'en', { numeric: true }) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
}

function comparePort(a: EndpointPort, b: EndpointPort): number {
  return (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || (a.protocol ?? '').localeCompare(b.protocol ?? '');
}

/**
 * Kubernetes' RepackSubsets: map each port to the addresses offering it, then each distinct
 * address set (readiness included) to its ports; sorted for stable output.
 */
function repack(entries: readonly Entry[]): EndpointSubset[] {
  const sentinel: EndpointPort = { port: -1 };
  const byPort = new Map<string, { port: EndpointPort; addrs: Map<string, Entry> }>();
  for (const e of entries) {
    for (const port of e.ports.length > 0 ? e.ports : [sentinel]) {
      const k = portKey(port);
      let g = byPort.get(k);
      if (!g) {
        g = { port, addrs: new Map() };
        byPort.set(k, g);
      }
      g.addrs.set(addrKey(e.addr), e);
    }
  }
  const bySet = new Map<string, { addrs: Entry[]; ports: EndpointPort[] }>();
  for (const g of byPort.values()) {
    const addrs = [...g.addrs.values()];
    const k = addrs.map((e) => `${addrKey(e.addr)}:${e.ready}`).sort().join(',');
    let set = bySet.get(k);
    if (!set) {
      set = { addrs, ports: [] };
      bySet.set(k, set);
    }
    if (g.port.port > 0) set.ports.push(g.port);
  }
  const out: EndpointSubset[] = [...bySet.values()].map((set) => {
    const s: EndpointSubset = {};
    const ready = set.addrs.filter((e) => e.ready).map((e) => e.addr).sort(compareAddr);
    const notReady = set.addrs.filter((e) => !e.ready).map((e) => e.addr).sort(compareAddr);
    if (ready.length > 0) s.addresses = ready;
    if (notReady.length > 0) s.notReadyAddresses = notReady;
    if (set.ports.length > 0) s.ports = set.ports.sort(comparePort);
    return s;
  });
  const first = (s: EndpointSubset): string => (s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? '';
  return out.sort((a, b) => first(a).localeCompare(first(b), 'en', { numeric: true }) || JSON.stringify(a.ports).localeCompare(JSON.stringify(b.ports)));
}
