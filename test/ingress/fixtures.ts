/** Fixture builders for the ingress route-table tests. */
import type {
  Endpoints, Ingress, IngressBackend, IngressClass, IngressTLS, PathType, Secret, Service,
} from '../../core/api/index.js';
import { buildRouteTable, type RouteTableBuild, type RouteTableInput } from '../../ingress/index.js';

export const CONTROLLER = 'skiff.dev/ingress-controller';

export interface PathSpec { path?: string; type?: PathType; service: string; port?: number | string }
export interface RuleSpec { host?: string; paths?: PathSpec[] }

export function backend(service: string, port: number | string = 80): IngressBackend {
  return { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } };
}

export function makeIngress(o: {
  name: string; namespace?: string; created?: string; className?: string; annotations?: Record<string, string>;
  rules?: RuleSpec[]; defaultBackend?: string; tls?: IngressTLS[];
}): Ingress {
  const rules = o.rules?.map((r) => ({
    ...(r.host === undefined ? {} : { host: r.host }),
    ...(r.paths === undefined ? {} : {
      http: { paths: r.paths.map((p) => ({ path: p.path ?? '/', pathType: p.type ?? 'Prefix', backend: backend(p.service, p.port) })) },
    }),
  }));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: o.name,
      namespace: o.namespace ?? 'default',
      creationTimestamp: o.created ?? '2024-01-01T00:00:00Z',
      ...(o.annotations === undefined ? {} : { annotations: o.annotations }),
    },
    spec: {
      ingressClassName: o.className ?? 'skiff',
      ...(rules === undefined ? {} : { rules }),
      ...(o.defaultBackend === undefined ? {} : { defaultBackend: backend(o.defaultBackend) }),
      ...(o.tls === undefined ? {} : { tls: o.tls }),
    },
  };
}

export function makeClass(name: string, controller = CONTROLLER, isDefault = false, created = '2024-01-01T00:00:00Z'): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name, creationTimestamp: created, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller },
  };
}

/** A Service with one TCP port 80 named `http` (targetPort 8080), or the given ports. */
export function makeService(name: string, namespace = 'default',
  ports: { name?: string; port: number; targetPort?: number | string }[] = [{ name: 'http', port: 80, targetPort: 8080 }]): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports } };
}

export function makeEndpoints(name: string, o: { namespace?: string; ready?: string[]; notReady?: string[];
  ports?: { name?: string; port: number }[] } = {}): Endpoints {
  return {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: o.namespace ?? 'default' },
    subsets: [{
      addresses: (o.ready ?? ['10.0.0.1']).map((ip) => ({ ip })),
      notReadyAddresses: (o.notReady ?? []).map((ip) => ({ ip })),
      ports: o.ports ?? [{ name: 'http', port: 8080 }],
    }],
  };
}

export function makeTlsSecret(name: string, o: { namespace?: string; type?: string; cn?: string } = {}): Secret {
  const pem = (label: string): string =>
    Buffer.from(`-----BEGIN ${label}-----\n${Buffer.from(o.cn ?? name).toString('base64')}\n-----END ${label}-----\n`).toString('base64');
  return {
    apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: o.namespace ?? 'default' },
    type: o.type ?? 'kubernetes.io/tls',
    data: { 'tls.crt': pem('CERTIFICATE'), 'tls.key': pem('PRIVATE KEY') },
  };
}

/** Services (port 80 "http" → 8080) and ready Endpoints for every service the Ingresses name. */
export function servicesFor(ingresses: readonly Ingress[]): { services: Service[]; endpoints: Endpoints[] } {
  const names = new Map<string, string>();
  for (const ing of ingresses) {
    const ns = ing.metadata.namespace ?? 'default';
    const add = (b: IngressBackend | undefined): void => {
      if (b?.service !== undefined) names.set(`${ns}/${b.service.name}`, ns);
    };
    add(ing.spec?.defaultBackend);
    for (const r of ing.spec?.rules ?? []) for (const p of r.http?.paths ?? []) add(p.backend);
  }
  const services: Service[] = [];
  const endpoints: Endpoints[] = [];
  let i = 1;
  for (const [key, ns] of names) {
    const name = key.slice(ns.length + 1);
    services.push(makeService(name, ns));
    endpoints.push(makeEndpoints(name, { namespace: ns, ready: [`10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`] }));
    i++;
  }
  return { services, endpoints };
}

/** Builds a table over `ingresses` with the `skiff` class and auto-created services. */
export function build(ingresses: Ingress[], extra: Partial<RouteTableInput> = {}): RouteTableBuild {
  const { services, endpoints } = servicesFor(ingresses);
  return buildRouteTable({
    ingresses, ingressClasses: [makeClass('skiff')], services, endpoints, secrets: [], ...extra,
  });
}

/** The service name a request lands on, or '404'. */
export function serviceFor(b: RouteTableBuild, host: string | undefined, path: string): string {
  return b.table.lookup(host, path)?.backend.serviceName ?? '404';
}
