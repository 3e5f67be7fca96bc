/** Container environment as the kubelet builds it: service links, envFrom, env with valueFrom (pure given its lookups). */
import type { Container, Pod, Service } from '../api/index.js';

export interface EnvLookups {
  configMap(namespace: string, name: string): Record<string, string> | undefined;
  secret(namespace: string, name: string): Record<string, string> | undefined;
  /** Services of the pod's namespace, for `<NAME>_SERVICE_HOST`/`_PORT` (enableServiceLinks). */
  services: readonly Service[];
}

export class EnvError extends Error {
  constructor(readonly reason: 'CreateContainerConfigError', message: string) {
    super(message);
    this.name = 'EnvError';
  }
}

const envName = (s: string): string => s.toUpperCase().replace(/-/g, '_');

/** The Docker-links style variables Kubernetes gives every pod for each Service in its namespace. */
export function serviceEnv(services: readonly Service[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of services) {
    const ip = s.spec?.clusterIP;
    if (!ip || ip === 'None' || !s.metadata.name) continue;
    const n = envName(s.metadata.name);
    const ports = s.spec?.ports ?? [];
    const first = ports[0];
    if (!first) continue;
    env[`${n}_SERVICE_HOST`] = ip;
    env[`${n}_SERVICE_PORT`] = String(first.port);
    for (const p of ports) if (p.name) env[`${n}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
    const proto = (first.protocol ?? 'TCP').toLowerCase();
    env[`${n}_PORT`] = `${proto}://${ip}:${first.port}`;
    for (const p of ports) {
      const pr = (p.protocol ?? 'TCP');
      const pre = `${n}_PORT_${p.port}_${pr}`;
      env[pre] = `${pr.toLowerCase()}://${ip}:${p.port}`;
      env[`${pre}_PROTO`] = pr.toLowerCase();
      env[`${pre}_PORT`] = String(p.port);
      env[`${pre}_ADDR`] = ip;
    }
  }
  return env;
}

function fieldRef(pod: Pod, path: string, nodeName: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m?.[1] && m[2]) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]] ?? '';
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'spec.nodeName': return nodeName;
    case 'spec.serviceAccountName': return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs': return pod.status?.podIP ?? '';
    case 'status.hostIP':
    case 'status.hostIPs': return pod.status?.hostIP ?? '';
    default: throw new EnvError('CreateContainerConfigError', `unsupported fieldRef path "${path}"`);
  }
}

/** Builds the environment of `c` in `pod`. Throws `EnvError` for a missing ConfigMap/Secret key that is not optional. */
export function containerEnv(pod: Pod, c: Container, nodeName: string, look: EnvLookups): Record<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = pod.spec.enableServiceLinks === false ? {} : serviceEnv(look.services);
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const data = from.configMapRef ? look.configMap(ns, from.configMapRef.name ?? '') : from.secretRef ? look.secret(ns, from.secretRef.name ?? '') : undefined;
    if (!data) {
      if (ref?.optional) continue;
      throw new EnvError('CreateContainerConfigError', `${from.configMapRef ? 'configmap' : 'secret'} "${ref?.name ?? ''}" not found`);
    }
    for (const [k, v] of Object.entries(data)) env[(from.prefix ?? '') + k] = v;
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      env[e.name] = (e.value ?? '').replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => env[v] ?? m);
      continue;
    }
    const vf = e.valueFrom;
    if (vf.fieldRef) env[e.name] = fieldRef(pod, vf.fieldRef.fieldPath, nodeName);
    else if (vf.configMapKeyRef || vf.secretKeyRef) {
      const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
      const kind = vf.configMapKeyRef ? 'configmap' : 'secret';
      const data = vf.configMapKeyRef ? look.configMap(ns, ref?.name ?? '') : look.secret(ns, ref?.name ?? '');
      const value = ref ? data?.[ref.key] : undefined;
      if (value === undefined) {
        if (ref?.optional) continue;
        throw new EnvError('CreateContainerConfigError', data ? `couldn't find key ${ref?.key ?? ''} in ${kind} ${ns}/${ref?.name ?? ''}` : `${kind} "${ref?.name ?? ''}" not found`);
      }
      env[e.name] = value;
    } else if (vf.resourceFieldRef) {
      const res = vf.resourceFieldRef.resource;
      const [kind, name] = res.split('.');
      const q = kind === 'limits' ? c.resources?.limits?.[name ?? ''] : c.resources?.requests?.[name ?? ''];
      env[e.name] = q ?? '0';
    }
  }
  return env;
}
