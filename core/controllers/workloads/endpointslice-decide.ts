/** Pure EndpointSlice computation (Kubernetes' endpointslice controller, simplified to one slice per port set). */
import { matchesLabels } from '../../api/index.js';
import type { Endpoint, EndpointSlice, EndpointSlicePort, Pod, Service } from '../../api/index.js';
import { isPodReady } from './common.js';
import { findPort, publishedHostname, shouldPodBeInEndpoints } from './endpoints-decide.js';

export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const managedByValue = 'endpointslice-controller.k8s.io';
/** Kubernetes' default --max-endpoints-per-slice. */
export const maxEndpointsPerSlice = 100;

/** A slice's identity for reconciling: its address type and port set. */
export function slicePortsKey(ports: readonly EndpointSlicePort[] | undefined): string {
  return JSON.stringify([...(ports ?? [])].map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']).sort());
}

function endpointFor(pod: Pod, svc: Service, tolerate: boolean): Endpoint {
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const serving = tolerate || isPodReady(pod);
  const hostname = publishedHostname(pod, svc);
  return {
    addresses: [pod.status?.podIP ?? ''],
    conditions: { ready: serving && !terminating, serving, terminating },
    ...(hostname ? { hostname } : {}),
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

export interface DesiredSlice {
  ports: EndpointSlicePort[];
  endpoints: Endpoint[];
}

/**
 * The endpoints of `svc` grouped by the ports each pod resolves, chunked at `maxPerSlice`.
 * Unlike Endpoints, terminating pods are kept, with `terminating: true` and `ready: false`.
 */
export function desiredSlices(svc: Service, pods: readonly Pod[], maxPerSlice = maxEndpointsPerSlice): DesiredSlice[] {
  const tolerate = svc.spec?.publishNotReadyAddresses === true;
  const selector = svc.spec?.selector ?? {};
  const groups = new Map<string, DesiredSlice>();
  for (const pod of pods) {
    if (!matchesLabels({ matchLabels: selector }, pod.metadata.labels) || !shouldPodBeInEndpoints(pod, true)) continue;
    if (pod.status?.podIP?.includes(':')) continue; // IPv4 slices only
    const ports: EndpointSlicePort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const key = slicePortsKey(ports);
    let g = groups.get(key);
    if (!g) {
      g = { ports, endpoints: [] };
      groups.set(key, g);
    }
    g.endpoints.push(endpointFor(pod, svc, tolerate));
  }
  const out: DesiredSlice[] = [];
  for (const g of groups.values()) {
    const sorted = g.endpoints.sort((a, b) => (a.addresses[0] ?? '').localeCompare(b.addresses[0] ?? '', 'en', { numeric: true }));
    for (let i = 0; i < sorted.length; i += maxPerSlice) out.push({ ports: g.ports, endpoints: sorted.slice(i, i + maxPerSlice) });
  }
  return out;
}

/** A new slice object for `svc` (named by the server from `<svc>-`), owned by the Service. */
export function newSlice(svc: Service, want: DesiredSlice): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name ?? 'svc'}-`,
      namespace: svc.metadata.namespace,
      labels: { ...(svc.metadata.labels ?? {}), [serviceNameLabel]: svc.metadata.name ?? '', [managedByLabel]: managedByValue },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints: want.endpoints,
    ports: want.ports,
  };
}
