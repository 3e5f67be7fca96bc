/** Ingress, IngressClass, Endpoints and EndpointSlice validation. */
import type { FieldError } from '../errors.js';
import type { Endpoints } from '../kinds/core.js';
import type { EndpointSlice } from '../kinds/discovery.js';
import type { Ingress, IngressBackend, IngressClass } from '../kinds/networking.js';
import type { KubeObject } from '../meta.js';
import { fromMessages, invalid, notSupported, oneOf, portNumber, required, tooMany } from './field.js';
import { validateObjectMeta } from './meta.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName } from './names.js';
import { isValidIP } from './service.js';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

/** A host: DNS-1123 subdomain, optionally with one leading `*.` wildcard label; never an IP. */
export function validateIngressHost(host: string, path: string): FieldError[] {
  if (isValidIP(host)) return [invalid(path, host, 'must be a DNS name, not an IP address')];
  if (host.startsWith('*.')) {
    const rest = host.slice(2);
    return isDNS1123Subdomain(rest).length === 0 ? [] : [invalid(path, host, 'a wildcard DNS-1123 subdomain must start with \'*.\', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, \'-\' or \'.\' and end with an alphanumeric character (e.g. \'*.example.com\', regex used for validation is \'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')')];
  }
  return fromMessages(path, host, isDNS1123Subdomain(host));
}

export function validateIngressBackend(b: IngressBackend | undefined, path: string): FieldError[] {
  if (!b) return [required(path)];
  const hasService = b.service !== undefined;
  const hasResource = b.resource !== undefined;
  if (hasService && hasResource) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const errs: FieldError[] = [];
    if (!b.resource?.kind) errs.push(required(`${path}.resource.kind`));
    if (!b.resource?.name) errs.push(required(`${path}.resource.name`));
    return errs;
  }
  if (!b.service) return [invalid(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  if (!b.service.name) errs.push(required(`${path}.service.name`));
  else errs.push(...fromMessages(`${path}.service.name`, b.service.name, isDNS1035Label(b.service.name)));
  const port = b.service.port ?? {};
  const hasName = (port.name ?? '') !== '';
  const hasNumber = (port.number ?? 0) !== 0;
  if (hasName && hasNumber) errs.push(invalid(`${path}.service.port`, '', 'cannot set both port name & port number'));
  else if (hasName) errs.push(...fromMessages(`${path}.service.port.name`, port.name, isValidPortName(port.name ?? '')));
  else if (hasNumber) errs.push(...portNumber(`${path}.service.port.number`, port.number));
  else errs.push(required(`${path}.service.port`, 'port name or number is required'));
  return errs;
}

function validateIngressPath(p: { path?: string; pathType?: string }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!p.pathType) return [required(`${path}.pathType`, 'pathType must be specified')];
  if (!PATH_TYPES.includes(p.pathType)) return [notSupported(`${path}.pathType`, p.pathType, PATH_TYPES)];
  if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
    const v = p.path ?? '';
    if (!v.startsWith('/')) errs.push(invalid(`${path}.path`, v, 'must be an absolute path'));
    for (const seq of INVALID_PATH_SEQUENCES) if (v.includes(seq)) errs.push(invalid(`${path}.path`, v, `must not contain '${seq}'`));
    for (const suf of INVALID_PATH_SUFFIXES) if (v.endsWith(suf)) errs.push(invalid(`${path}.path`, v, `cannot end with '${suf}'`));
  } else if (p.path !== undefined && p.path !== '' && !p.path.startsWith('/')) {
    errs.push(invalid(`${path}.path`, p.path, 'must be an absolute path'));
  }
  return errs;
}

export function validateIngress(obj: KubeObject): FieldError[] {
  const ing = obj as Ingress;
  const errs = validateObjectMeta(ing.metadata, { namespaced: true });
  const spec = ing.spec ?? {};
  if (!spec.defaultBackend && (spec.rules ?? []).length === 0) errs.push(invalid('spec', spec, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) errs.push(...validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend'));
  if (spec.ingressClassName) errs.push(...fromMessages('spec.ingressClassName', spec.ingressClassName, isDNS1123Subdomain(spec.ingressClassName)));
  (spec.rules ?? []).forEach((r, i) => {
    const rp = `spec.rules[${i}]`;
    if (r.host) errs.push(...validateIngressHost(r.host, `${rp}.host`));
    if (!r.http) return;
    if (!r.http.paths || r.http.paths.length === 0) {
      errs.push(required(`${rp}.http.paths`));
      return;
    }
    r.http.paths.forEach((p, j) => {
      const pp = `${rp}.http.paths[${j}]`;
      errs.push(...validateIngressPath(p, pp));
      errs.push(...validateIngressBackend(p.backend, `${pp}.backend`));
    });
  });
  (spec.tls ?? []).forEach((t, i) => {
    (t.hosts ?? []).forEach((h, j) => errs.push(...validateIngressHost(h, `spec.tls[${i}].hosts[${j}]`)));
    if (t.secretName) errs.push(...fromMessages(`spec.tls[${i}].secretName`, t.secretName, isDNS1123Subdomain(t.secretName)));
  });
  return errs;
}

/** `example.com/ingress-nginx`: a DNS subdomain followed by a path. */
function isDomainPrefixedPath(v: string): string[] {
  const slash = v.indexOf('/');
  if (slash < 0) return ['must be a domain-prefixed path (such as "acme.io/foo")'];
  const host = v.slice(0, slash);
  const errs = isDNS1123Subdomain(host);
  if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(v.slice(slash + 1))) errs.push('segment of the path contains an invalid character');
  return errs;
}

export function validateIngressClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const ic = obj as IngressClass;
  const errs = validateObjectMeta(ic.metadata, { namespaced: false });
  const controller = ic.spec?.controller;
  if (!controller) errs.push(required('spec.controller'));
  else if (controller.length > 250) errs.push({ field: 'spec.controller', type: 'FieldValueTooLong', message: 'Too long: may not be more than 250 bytes' });
  else errs.push(...fromMessages('spec.controller', controller, isDomainPrefixedPath(controller)));
  const params = ic.spec?.parameters;
  if (params) {
    if (!params.kind) errs.push(required('spec.parameters.kind'));
    if (!params.name) errs.push(required('spec.parameters.name'));
    errs.push(...oneOf('spec.parameters.scope', params.scope, ['Cluster', 'Namespace']));
    if (params.scope === 'Namespace' && !params.namespace) errs.push(required('spec.parameters.namespace', '`parameters.scope` is set to \'Namespace\''));
  }
  const oldController = (old as IngressClass | undefined)?.spec?.controller;
  if (oldController !== undefined && controller !== oldController) errs.push(invalid('spec.controller', controller ?? '', 'field is immutable'));
  return errs;
}

function validateEndpointPorts(ports: { name?: string; port?: number; protocol?: string }[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = ports ?? [];
  list.forEach((p, i) => {
    const pp = `${path}[${i}]`;
    if (list.length > 1 && !p.name) errs.push(required(`${pp}.name`));
    if (p.name) errs.push(...fromMessages(`${pp}.name`, p.name, isValidPortName(p.name)));
    errs.push(...portNumber(`${pp}.port`, p.port));
    errs.push(...oneOf(`${pp}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}

export function validateEndpoints(obj: KubeObject): FieldError[] {
  const ep = obj as Endpoints;
  const errs = validateObjectMeta(ep.metadata, { namespaced: true });
  (ep.subsets ?? []).forEach((s, i) => {
    const sp = `subsets[${i}]`;
    for (const list of ['addresses', 'notReadyAddresses'] as const) {
      (s[list] ?? []).forEach((a, j) => {
        if (!a.ip) errs.push(required(`${sp}.${list}[${j}].ip`));
        else if (!isValidIP(a.ip)) errs.push(invalid(`${sp}.${list}[${j}].ip`, a.ip, 'must be a valid IP address'));
      });
    }
    errs.push(...validateEndpointPorts(s.ports, `${sp}.ports`));
  });
  return errs;
}

export function validateEndpointSlice(obj: KubeObject): FieldError[] {
  const es = obj as EndpointSlice;
  const errs = validateObjectMeta(es.metadata, { namespaced: true });
  errs.push(...oneOf('addressType', es.addressType, ['IPv4', 'IPv6', 'FQDN'], true));
  if ((es.endpoints ?? []).length > 1000) errs.push(tooMany('endpoints', es.endpoints.length, 1000));
  (es.endpoints ?? []).forEach((e, i) => {
    const p = `endpoints[${i}].addresses`;
    const n = (e.addresses ?? []).length;
    if (n === 0) errs.push(required(p, 'must contain at least 1 address'));
    else if (n > 100) errs.push(tooMany(p, n, 100));
    (e.addresses ?? []).forEach((a, j) => {
      if ((es.addressType === 'IPv4' || es.addressType === 'IPv6') && !isValidIP(a)) errs.push(invalid(`${p}[${j}]`, a, 'must be a valid IP address'));
    });
  });
  const ports = es.ports ?? [];
  if (ports.length > 100) errs.push(tooMany('ports', ports.length, 100));
  ports.forEach((p, i) => {
    if (p.port !== undefined) errs.push(...portNumber(`ports[${i}].port`, p.port));
    errs.push(...oneOf(`ports[${i}].protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}
