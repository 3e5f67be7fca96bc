/** Namespace, Node, ConfigMap, Secret, Event and Lease validation. */
import type { FieldError } from '../errors.js';
import type { ConfigMap, Event, Namespace, Node, Secret } from '../kinds/core.js';
import type { Lease } from '../kinds/other.js';
import type { KubeObject } from '../meta.js';
import { forbidden, fromMessages, invalid, nonNegative, oneOf, positive, required, tooLong } from './field.js';
import { immutable, isValidPathSegmentName, validateObjectMeta } from './meta.js';
import { isConfigMapKey, isDNS1123Label, isQualifiedName } from './names.js';
import { validateResourceList } from './resources.js';

/** 1 MiB: the most a ConfigMap's or Secret's data may hold. */
export const MAX_DATA_SIZE = 1024 * 1024;

export function validateNamespace(obj: KubeObject): FieldError[] {
  const ns = obj as Namespace;
  const errs = validateObjectMeta(ns.metadata, { namespaced: false, nameValidator: isDNS1123Label });
  (ns.spec?.finalizers ?? []).forEach((f, i) => errs.push(...fromMessages(`spec.finalizers[${i}]`, f, isQualifiedName(f))));
  errs.push(...oneOf('status.phase', ns.status?.phase, ['Active', 'Terminating']));
  return errs;
}

export function validateNode(obj: KubeObject): FieldError[] {
  const node = obj as Node;
  const errs = validateObjectMeta(node.metadata, { namespaced: false });
  (node.spec?.taints ?? []).forEach((t, i) => {
    const p = `spec.taints[${i}]`;
    if (!t.key) errs.push(required(`${p}.key`));
    else errs.push(...fromMessages(`${p}.key`, t.key, isQualifiedName(t.key)));
    errs.push(...oneOf(`${p}.effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], true));
  });
  errs.push(...validateResourceList(node.status?.capacity, 'status.capacity', false));
  errs.push(...validateResourceList(node.status?.allocatable, 'status.allocatable', false));
  return errs;
}

function validateDataKeys(keys: string[], field: string): FieldError[] {
  return keys.flatMap((k) => fromMessages(`${field}[${k}]`, k, isConfigMapKey(k)));
}

export function validateConfigMap(obj: KubeObject, old?: KubeObject): FieldError[] {
  const cm = obj as ConfigMap;
  const errs = validateObjectMeta(cm.metadata, { namespaced: true });
  const data = cm.data ?? {};
  const binary = cm.binaryData ?? {};
  errs.push(...validateDataKeys(Object.keys(data), 'data'));
  errs.push(...validateDataKeys(Object.keys(binary), 'binaryData'));
  for (const [k, v] of Object.entries(binary)) {
    if (typeof v !== 'string' || !BASE64.test(v)) errs.push(invalid(`binaryData[${k}]`, '<binary data redacted>', 'illegal base64 data'));
  }
  for (const k of Object.keys(binary)) if (k in data) errs.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
  const size = Object.values(data).reduce((n, v) => n + (typeof v === 'string' ? v.length : 0), 0)
    + Object.values(binary).reduce((n, v) => n + (typeof v === 'string' ? Math.floor((v.length * 3) / 4) : 0), 0);
  if (size > MAX_DATA_SIZE) errs.push(tooLong('', MAX_DATA_SIZE));
  const prev = old as ConfigMap | undefined;
  if (prev?.immutable === true) {
    if (cm.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    errs.push(...immutable('data', cm.data ?? {}, prev.data ?? {}).map((e) => forbidden(e.field, 'field is immutable when `immutable` is set')));
    errs.push(...immutable('binaryData', cm.binaryData ?? {}, prev.binaryData ?? {}).map((e) => forbidden(e.field, 'field is immutable when `immutable` is set')));
  }
  return errs;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Keys a typed Secret must carry. */
const SECRET_REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export function validateSecret(obj: KubeObject, old?: KubeObject): FieldError[] {
  const s = obj as Secret;
  const errs = validateObjectMeta(s.metadata, { namespaced: true });
  const data = s.data ?? {};
  errs.push(...validateDataKeys(Object.keys(data), 'data'));
  errs.push(...validateDataKeys(Object.keys(s.stringData ?? {}), 'stringData'));
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string' || !BASE64.test(v)) errs.push(invalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
    else size += Math.floor((v.length * 3) / 4);
  }
  if (size > MAX_DATA_SIZE) errs.push(tooLong('data', MAX_DATA_SIZE));
  const type = s.type ?? 'Opaque';
  for (const key of SECRET_REQUIRED_KEYS[type] ?? []) {
    if (!(key in data) && !(key in (s.stringData ?? {}))) errs.push(required(`data[${key}]`));
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data) && !('username' in (s.stringData ?? {})) && !('password' in (s.stringData ?? {}))) {
    errs.push(required('data[username]'));
  }
  const prev = old as Secret | undefined;
  if (prev) {
    if ((prev.type ?? 'Opaque') !== type) errs.push(invalid('type', type, 'field is immutable'));
    if (prev.immutable === true) {
      if (s.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
      errs.push(...immutable('data', s.data ?? {}, prev.data ?? {}).map((e) => forbidden(e.field, 'field is immutable when `immutable` is set')));
    }
  }
  return errs;
}

export function validateEvent(obj: KubeObject): FieldError[] {
  const ev = obj as Event;
  const errs = validateObjectMeta(ev.metadata, { namespaced: true, nameValidator: isValidPathSegmentName });
  const io = ev.involvedObject;
  if (!io) return [...errs, required('involvedObject')];
  // Cluster-scoped objects' events live in "default" (or nowhere); namespaced objects' events in their namespace.
  const ns = ev.metadata?.namespace ?? '';
  const ioNs = io.namespace ?? '';
  const ok = ioNs === '' ? ns === '' || ns === 'default' : ioNs === ns;
  if (!ok) errs.push(invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
  errs.push(...nonNegative('count', ev.count));
  errs.push(...oneOf('type', ev.type as string | undefined, ['Normal', 'Warning']));
  if ((ev.reason ?? '').length > 128) errs.push(tooLong('reason', 128));
  return errs;
}

export function validateLease(obj: KubeObject): FieldError[] {
  const l = obj as Lease;
  const errs = validateObjectMeta(l.metadata, { namespaced: true });
  errs.push(...positive('spec.leaseDurationSeconds', l.spec?.leaseDurationSeconds));
  errs.push(...nonNegative('spec.leaseTransitions', l.spec?.leaseTransitions));
  return errs;
}
