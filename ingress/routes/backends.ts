/** Resolves an Ingress backend to its Service port and ready endpoints. Pure. */
import type { EndpointSubset, Endpoints, IngressBackend, Service, ServicePort } from '../../core/api/index.js';
import type { Backend, EndpointAddress, RouteProblemReason } from './types.js';

export type Resolution =
  | { ok: true; backend: Backend; problem?: { reason: RouteProblemReason; message: string } }
  | { ok: false; reason: RouteProblemReason; message: string };

const key = (ns: string, name: string): string => `${ns}/${name}`;

export class BackendResolver {
  readonly #services: ReadonlyMap<string, Service>;
  readonly #endpoints: ReadonlyMap<string, Endpoints>;
  readonly #cache = new Map<string, Backend>();

  constructor(services: readonly Service[], endpoints: readonly Endpoints[]) {
    this.#services = new Map(services.map((s) => [key(s.metadata.namespace ?? 'default', s.metadata.name ?? ''), s]));
    this.#endpoints = new Map(endpoints.map((e) => [key(e.metadata.namespace ?? 'default', e.metadata.name ?? ''), e]));
  }

  /** Resolves `b` in `namespace`. A missing Service or port still yields a backend (no endpoints) plus a problem. */
  resolve(namespace: string, b: IngressBackend): Resolution {
    const svc = b.service;
    if (svc === undefined || svc.name === '') {
      return { ok: false, reason: 'InvalidBackend', message: 'only service backends are supported' };
    }
    const port = svc.port ?? {};
    if (port.name === undefined && port.number === undefined) {
      return { ok: false, reason: 'InvalidBackend', message: `backend service "${svc.name}" has no port` };
    }
    const portLabel = port.name ?? String(port.number);
    const cacheKey = `${key(namespace, svc.name)}:${portLabel}`;
    const base = { namespace, serviceName: svc.name, servicePort: Object.freeze({ ...port }), externalName: undefined };
    const service = this.#services.get(key(namespace, svc.name));
    if (service === undefined) {
      return { ok: true, backend: unresolved(base),
        problem: { reason: 'ServiceNotFound', message: `service "${namespace}/${svc.name}" not found` } };
    }
    const cached = this.#cache.get(cacheKey);
    if (cached !== undefined) return { ok: true, backend: cached };
    const external = service.spec?.type === 'ExternalName' ? service.spec.externalName : undefined;
    const sp = (service.spec?.ports ?? []).find((p) => (port.name !== undefined ? p.name === port.name : p.port === port.number));
    let backend: Backend;
    if (external !== undefined && (sp !== undefined || port.number !== undefined)) {
      // ExternalName: no endpoints; the proxy dials the DNS name. A numeric port need not be declared.
      backend = Object.freeze({ ...base, externalName: external, endpoints: Object.freeze([]), resolved: true });
    } else if (sp === undefined) {
      return { ok: true, backend: unresolved(base),
        problem: { reason: 'ServicePortNotFound', message: `service "${namespace}/${svc.name}" has no port ${portLabel}` } };
    } else {
      const eps = this.#endpoints.get(key(namespace, svc.name));
      backend = Object.freeze({ ...base, endpoints: readyEndpoints(eps?.subsets ?? [], sp, service), resolved: true });
    }
    this.#cache.set(cacheKey, backend);
    return { ok: true, backend };
  }
}

function unresolved(base: Omit<Backend, 'endpoints' | 'resolved'>): Backend {
  return Object.freeze({ ...base, endpoints: Object.freeze([]), resolved: false });
}

/**
 * The ready `ip:port` pairs for service port `sp`. The Endpoints controller names each endpoint port after the
 * service port, so match by name; an unnamed single-port Service matches the subset's only/unnamed port; a
 * numeric `targetPort` is the last resort.
 */
function readyEndpoints(subsets: readonly EndpointSubset[], sp: ServicePort, service: Service): readonly EndpointAddress[] {
  const singlePort = (service.spec?.ports?.length ?? 0) <= 1;
  const out = new Map<string, EndpointAddress>();
  for (const subset of subsets) {
    const ports = subset.ports ?? [];
    const ep = ports.find((p) => (p.name ?? '') === (sp.name ?? '') && (sp.name !== undefined || singlePort))
      ?? (typeof sp.targetPort === 'number' ? ports.find((p) => p.port === sp.targetPort) : undefined);
    if (ep === undefined || (ep.protocol ?? 'TCP') !== 'TCP') continue;
    for (const a of subset.addresses ?? []) {
      const address = a.ip.includes(':') ? `[${a.ip}]:${ep.port}` : `${a.ip}:${ep.port}`;
      out.set(address, Object.freeze({ ip: a.ip, port: ep.port, address }));
    }
  }
  return Object.freeze([...out.values()].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0)));
}
