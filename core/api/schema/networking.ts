/** Schemas for networking.k8s.io/v1 Ingress and IngressClass, and discovery.k8s.io/v1 EndpointSlice. */
import { atomicList, bool, choice, int, obj, str } from './dsl.js';
import { conditions, kindSchema, loadBalancerStatus, objectReference, typedLocalObjectReference } from './meta.js';

const ingressBackend = obj({
  service: obj({ name: str(), port: obj({ name: str(), number: int() }) }, ['name']),
  resource: typedLocalObjectReference,
});

const httpIngressPath = obj({
  path: str(),
  pathType: choice(['Exact', 'Prefix', 'ImplementationSpecific']),
  backend: ingressBackend,
}, ['pathType', 'backend']);

export const ingressSchema = kindSchema({
  spec: obj({
    ingressClassName: str(),
    defaultBackend: ingressBackend,
    tls: atomicList(obj({ hosts: atomicList(str()), secretName: str() })),
    rules: atomicList(obj({ host: str(), http: obj({ paths: atomicList(httpIngressPath) }, ['paths']) })),
  }),
  status: obj({ loadBalancer: loadBalancerStatus, conditions: conditions() }),
});

export const ingressClassSchema = kindSchema({
  spec: obj({
    controller: str(),
    parameters: obj({ apiGroup: str(), kind: str(), name: str(), scope: str(), namespace: str() }, ['kind', 'name']),
  }),
});

const endpoint = obj({
  addresses: { type: 'array', items: str(), 'x-kubernetes-list-type': 'set' },
  conditions: obj({ ready: bool(), serving: bool(), terminating: bool() }),
  hostname: str(),
  targetRef: objectReference,
  deprecatedTopology: { type: 'object', additionalProperties: str() },
  nodeName: str(),
  zone: str(),
  hints: obj({ forZones: atomicList(obj({ name: str() }, ['name'])), forNodes: atomicList(obj({ name: str() }, ['name'])) }),
}, ['addresses']);

export const endpointSliceSchema = kindSchema({
  addressType: choice(['IPv4', 'IPv6', 'FQDN']),
  endpoints: atomicList(endpoint),
  ports: atomicList(obj({ name: str(), protocol: str(), port: int(), appProtocol: str() })),
}, ['addressType', 'endpoints']);

