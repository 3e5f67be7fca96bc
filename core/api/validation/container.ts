/** Container validation (Kubernetes `validateContainers`): names, image, ports, env, resources, probes, mounts. */
import type { FieldError } from '../errors.js';
import type { Container, ContainerPort, Probe } from '../kinds/core.js';
import { duplicate, forbidden, fromMessages, invalid, notFound, oneOf, portNumber, required } from './field.js';
import { isDNS1123Label, isValidPortName } from './names.js';
import { validateResourceRequirements } from './resources.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_POLICIES = ['File', 'FallbackToLogsOnError'];

export interface ContainerContext {
  /** Volume names declared by the pod, for `volumeMounts[].name`. */
  volumes: ReadonlySet<string>;
  /** Whether `image` is required (it is for Pods and workload templates). */
  requireImage: boolean;
}

function validatePorts(ports: ContainerPort[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const pp = `${path}[${i}]`;
    if (p.name) {
      errs.push(...fromMessages(`${pp}.name`, p.name, isValidPortName(p.name)));
      if (names.has(p.name)) errs.push(duplicate(`${pp}.name`, p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errs.push(required(`${pp}.containerPort`));
    else errs.push(...portNumber(`${pp}.containerPort`, p.containerPort));
    if (p.hostPort !== undefined && p.hostPort !== 0) errs.push(...portNumber(`${pp}.hostPort`, p.hostPort));
    errs.push(...oneOf(`${pp}.protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

const ENV_NAME_MSG = 'a valid environment variable name must consist only of printable ASCII characters other than \'=\'';

function validateEnv(c: Container, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (c.env ?? []).forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (!e.name) errs.push(required(`${p}.name`));
    else if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(e.name)) errs.push(invalid(`${p}.name`, e.name, ENV_NAME_MSG));
    if (e.valueFrom) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => (e.valueFrom as Record<string, unknown>)[k] !== undefined);
      if (e.value) errs.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      if (sources.length === 0) errs.push(invalid(`${p}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (sources.length > 1) errs.push(invalid(`${p}.valueFrom`, '', 'may not have more than one field specified at a time'));
      if (e.valueFrom.fieldRef && !e.valueFrom.fieldRef.fieldPath) errs.push(required(`${p}.valueFrom.fieldRef.fieldPath`));
      for (const k of ['configMapKeyRef', 'secretKeyRef'] as const) {
        const ref = e.valueFrom[k];
        if (ref && !ref.key) errs.push(required(`${p}.valueFrom.${k}.key`));
      }
    }
  });
  return errs;
}

function validateProbePort(port: number | string | undefined, path: string): FieldError[] {
  if (port === undefined) return [required(path)];
  if (typeof port === 'number') return portNumber(path, port);
  return fromMessages(path, port, isValidPortName(port));
}

/** Validates a probe; `name` is `livenessProbe`, `readinessProbe` or `startupProbe`. */
export function validateProbe(p: Probe | undefined, path: string, name: string): FieldError[] {
  if (!p) return [];
  const errs: FieldError[] = [];
  const handlers = (['exec', 'httpGet', 'tcpSocket', 'grpc'] as const).filter((h) => p[h] !== undefined);
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'));
  else if (handlers.length > 1) errs.push(forbidden(`${path}.${handlers[1] ?? ''}`, 'may not specify more than 1 handler type'));
  if (p.httpGet) {
    errs.push(...validateProbePort(p.httpGet.port, `${path}.httpGet.port`));
    errs.push(...oneOf(`${path}.httpGet.scheme`, p.httpGet.scheme, ['HTTP', 'HTTPS']));
  }
  if (p.tcpSocket) errs.push(...validateProbePort(p.tcpSocket.port, `${path}.tcpSocket.port`));
  if (p.grpc) errs.push(...portNumber(`${path}.grpc.port`, p.grpc.port));
  if (p.exec && (p.exec.command ?? []).length === 0) errs.push(required(`${path}.exec.command`));
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = p[k];
    if (v !== undefined && v < 0) errs.push(invalid(`${path}.${k}`, v, 'must be greater than or equal to 0'));
  }
  if ((name === 'livenessProbe' || name === 'startupProbe') && p.successThreshold !== undefined && p.successThreshold !== 1) {
    errs.push(invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  if (p.terminationGracePeriodSeconds !== undefined && p.terminationGracePeriodSeconds <= 0) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

function validateVolumeMounts(c: Container, path: string, volumes: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = `${path}[${i}]`;
    if (!m.name) errs.push(required(`${p}.name`));
    else if (!volumes.has(m.name)) errs.push(notFound(`${p}.name`, m.name));
    if (!m.mountPath) errs.push(required(`${p}.mountPath`));
    else if (paths.has(m.mountPath)) errs.push(invalid(`${p}.mountPath`, m.mountPath, 'must be unique'));
    if (m.mountPath) paths.add(m.mountPath);
    if (m.subPath && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) {
      errs.push(invalid(`${p}.subPath`, m.subPath, m.subPath.startsWith('/') ? 'must be a relative path' : 'must not contain \'..\''));
    }
  });
  return errs;
}

/** Validates one container at `path` (e.g. `spec.containers[0]`). */
export function validateContainer(c: Container, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(`${path}.name`));
  else errs.push(...fromMessages(`${path}.name`, c.name, isDNS1123Label(c.name)));
  if (ctx.requireImage && (c.image === undefined || c.image.trim() === '')) errs.push(required(`${path}.image`));
  else if (c.image !== undefined && c.image !== c.image.trim()) errs.push(invalid(`${path}.image`, c.image, 'must not have leading or trailing whitespace'));
  errs.push(...validatePorts(c.ports, `${path}.ports`));
  errs.push(...validateEnv(c, `${path}.env`));
  errs.push(...validateResourceRequirements(c.resources, `${path}.resources`));
  errs.push(...validateVolumeMounts(c, `${path}.volumeMounts`, ctx.volumes));
  errs.push(...validateProbe(c.livenessProbe, `${path}.livenessProbe`, 'livenessProbe'));
  errs.push(...validateProbe(c.readinessProbe, `${path}.readinessProbe`, 'readinessProbe'));
  errs.push(...validateProbe(c.startupProbe, `${path}.startupProbe`, 'startupProbe'));
  errs.push(...oneOf(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  errs.push(...oneOf(`${path}.terminationMessagePolicy`, c.terminationMessagePolicy, TERMINATION_POLICIES));
  return errs;
}

/** Validates a list of containers with names unique across `seen` (shared by init and app containers). */
export function validateContainers(list: Container[] | undefined, path: string, ctx: ContainerContext, seen: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  (list ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainer(c, p, ctx));
    if (c.name) {
      if (seen.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
      seen.add(c.name);
    }
  });
  return errs;
}
