/** Service validation (Kubernetes `ValidateService`): type, ports, nodePorts, ExternalName, traffic policies. */
import type { FieldError } from '../errors.js';
import type { Service, ServicePort } from '../kinds/core.js';
import type { KubeObject } from '../meta.js';
import { duplicate, forbidden, fromMessages, invalid, oneOf, portNumber, required } from './field.js';
import { validateLabels, validateObjectMeta } from './meta.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPortName } from './names.js';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** The nodePort range every skiff cluster uses (Kubernetes' default `--service-node-port-range`). */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };

export function isValidIP(ip: string): boolean {
  const v4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
  if (v4.test(ip)) return true;
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) && ip.split('::').length <= 2;
}

function validateTargetPort(tp: number | string | undefined, path: string): FieldError[] {
  if (tp === undefined) return [];
  if (typeof tp === 'number') return portNumber(path, tp);
  return fromMessages(path, tp, isValidPortName(tp));
}

function validatePort(p: ServicePort, i: number, svc: Service, multi: boolean): FieldError[] {
  const path = `spec.ports[${i}]`;
  const type = svc.spec?.type ?? 'ClusterIP';
  const errs: FieldError[] = [];
  if (multi && !p.name) errs.push(required(`${path}.name`));
  if (p.name) errs.push(...fromMessages(`${path}.name`, p.name, isDNS1123Label(p.name)));
  if (p.port === undefined) errs.push(required(`${path}.port`));
  else errs.push(...portNumber(`${path}.port`, p.port));
  errs.push(...oneOf(`${path}.protocol`, p.protocol, PROTOCOLS));
  errs.push(...validateTargetPort(p.targetPort, `${path}.targetPort`));
  if (p.nodePort !== undefined && p.nodePort !== 0) {
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      errs.push(forbidden(`${path}.nodePort`, `may not be used when \`type\` is '${type}'`));
    } else if (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max) {
      errs.push(invalid(`${path}.nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`));
    }
  }
  return errs;
}

function validatePorts(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const ports = spec.ports ?? [];
  const errs: FieldError[] = [];
  if (ports.length === 0 && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') errs.push(required('spec.ports'));
  const names = new Set<string>();
  const keys = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    errs.push(...validatePort(p, i, svc, ports.length > 1));
    if (p.name) {
      if (names.has(p.name)) errs.push(duplicate(`spec.ports[${i}].name`, p.name));
      names.add(p.name);
    }
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (keys.has(key)) errs.push(duplicate(`spec.ports[${i}]`, key));
    keys.add(key);
    if (p.nodePort) {
      const np = `${p.nodePort}/${p.protocol ?? 'TCP'}`;
      if (nodePorts.has(np)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
      nodePorts.add(np);
    }
  });
  return errs;
}

function validateClusterIP(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const errs: FieldError[] = [];
  const ip = spec.clusterIP;
  if (spec.type === 'ExternalName') {
    if (ip && ip !== '') errs.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
    if (!spec.externalName) errs.push(required('spec.externalName'));
    else errs.push(...fromMessages('spec.externalName', spec.externalName, isDNS1123Subdomain(spec.externalName.replace(/\.$/, ''))));
    return errs;
  }
  if (ip && ip !== 'None' && !isValidIP(ip)) errs.push(invalid('spec.clusterIP', ip, 'must be empty, \'None\', or a valid IP address'));
  if (ip === 'None' && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    errs.push(invalid('spec.clusterIPs[0]', ip, `may not be set to 'None' for ${spec.type} services`));
  }
  (spec.externalIPs ?? []).forEach((e, i) => {
    if (!isValidIP(e)) errs.push(invalid(`spec.externalIPs[${i}]`, e, 'must be a valid IP address'));
  });
  return errs;
}

function validateTraffic(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const errs = [
    ...oneOf('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']),
    ...oneOf('spec.internalTrafficPolicy', spec.internalTrafficPolicy, ['Cluster', 'Local']),
  ];
  if (spec.externalTrafficPolicy !== undefined) {
    if (type !== 'NodePort' && type !== 'LoadBalancer' && (spec.externalIPs ?? []).length === 0) {
      errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set when `type` is \'NodePort\' or \'LoadBalancer\''));
    } else {
      errs.push(...oneOf('spec.externalTrafficPolicy', spec.externalTrafficPolicy, ['Cluster', 'Local']));
    }
  }
  if (spec.healthCheckNodePort !== undefined && spec.healthCheckNodePort !== 0) {
    if (type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local') {
      errs.push(invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, 'may only be set when `type` is \'LoadBalancer\' and `externalTrafficPolicy` is \'Local\''));
    }
  }
  errs.push(...oneOf('spec.ipFamilyPolicy', spec.ipFamilyPolicy, ['SingleStack', 'PreferDualStack', 'RequireDualStack']));
  (spec.ipFamilies ?? []).forEach((f, i) => errs.push(...oneOf(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6'])));
  if ((spec.ipFamilies ?? []).length > 2) errs.push(invalid('spec.ipFamilies', spec.ipFamilies, 'may specify no more than two IP families'));
  (spec.loadBalancerSourceRanges ?? []).forEach((r, i) => {
    const [ip, bits, extra] = r.trim().split('/');
    const max = ip?.includes(':') ? 128 : 32;
    const ok = extra === undefined && ip !== undefined && isValidIP(ip) && bits !== undefined && /^[0-9]+$/.test(bits) && Number(bits) <= max;
    if (!ok) errs.push(invalid(`spec.loadBalancerSourceRanges[${i}]`, r, 'must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 '));
  });
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (timeout !== undefined && (timeout <= 0 || timeout > 86400)) {
    errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'));
  }
  if (spec.loadBalancerClass !== undefined && type !== 'LoadBalancer') {
    errs.push(forbidden('spec.loadBalancerClass', 'may only be used when `type` is \'LoadBalancer\''));
  }
  return errs;
}

export function validateService(obj: KubeObject, old?: KubeObject): FieldError[] {
  const svc = obj as Service;
  const errs = validateObjectMeta(svc.metadata, { namespaced: true, nameValidator: isDNS1035Label });
  const type = svc.spec?.type;
  errs.push(...oneOf('spec.type', type, SERVICE_TYPES));
  errs.push(...validatePorts(svc));
  errs.push(...validateClusterIP(svc));
  errs.push(...validateTraffic(svc));
  errs.push(...validateLabels(svc.spec?.selector, 'spec.selector'));
  const oldSpec = (old as Service | undefined)?.spec;
  if (oldSpec?.clusterIP && oldSpec.clusterIP !== '' && type !== 'ExternalName' && oldSpec.type !== 'ExternalName') {
    const now = svc.spec?.clusterIP ?? '';
    if (now !== '' && now !== oldSpec.clusterIP) errs.push(invalid('spec.clusterIPs[0]', now, 'may not change once set'));
  }
  return errs;
}
