/**
 * Decodes the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`: the `k8s\0`
 * magic, a runtime.Unknown envelope, then the typed message) into a JSON-shaped object, for
 * the kinds in protobuf-schema.ts. kubectl's `create <kind>` subcommands send this encoding.
 */
import { ApiError } from '../api/index.js';
import { rfc3339 } from '../util/index.js';
import { messages, rootMessage } from './protobuf-schema.js';
import type { FieldType } from './protobuf-schema.js';

interface Field { no: number; wire: number; int?: bigint; bytes?: Buffer }

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

function bad(msg: string): ApiError {
  return new ApiError('BadRequest', `error decoding protobuf: ${msg}`);
}

function varint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = pos; i < buf.length && shift < 70n; i++) {
    const b = buf[i] ?? 0;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, i + 1];
    shift += 7n;
  }
  throw bad('truncated varint');
}

/** Splits a message into its fields (wire types 0, 1, 2 and 5). */
export function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = varint(buf, pos);
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    pos = p1;
    if (wire === 0) {
      const [v, p2] = varint(buf, pos);
      out.push({ no, wire, int: v });
      pos = p2;
    } else if (wire === 2) {
      const [len, p2] = varint(buf, pos);
      const end = p2 + Number(len);
      if (len > BigInt(buf.length) || end > buf.length) throw bad('length past the end of the message');
      out.push({ no, wire, bytes: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (pos + n > buf.length) throw bad('truncated fixed-width field');
      pos += n;
    } else {
      throw bad(`unsupported wire type ${wire}`);
    }
  }
  return out;
}

const toInt = (f: Field): number => Number(BigInt.asIntN(64, f.int ?? 0n));
const str = (f: Field): string => (f.bytes ?? Buffer.alloc(0)).toString('utf8');

function mapEntry(f: Field, valueType: 'string' | 'bytes' | 'quantity'): [string, string] {
  let key = '';
  let value = '';
  for (const e of fields(f.bytes ?? Buffer.alloc(0))) {
    if (e.no === 1) key = str(e);
    else if (e.no === 2) value = valueType === 'bytes' ? (e.bytes ?? Buffer.alloc(0)).toString('base64') : valueType === 'quantity' ? quantity(e) : str(e);
  }
  return [key, value];
}

function quantity(f: Field): string {
  const q = fields(f.bytes ?? Buffer.alloc(0)).find((x) => x.no === 1);
  return q ? str(q) : '0';
}

/** The instants Kubernetes can write as RFC 3339 (years 0000–9999), in Unix seconds. */
const minSeconds = -62135596800;
const maxSeconds = 253402300799;

function time(f: Field, depth: number, path: string): string | undefined {
  const t = message(f.bytes ?? Buffer.alloc(0), 'Time', depth + 1, path);
  if (t.seconds === undefined) return undefined;
  const seconds = Number(t.seconds);
  if (!(seconds >= minSeconds && seconds <= maxSeconds)) throw bad(`${path}: year outside of range [0,9999] (seconds: ${String(t.seconds)})`);
  return rfc3339(seconds * 1000);
}

function scalar(f: Field, type: FieldType, depth: number, path: string): unknown {
  switch (type) {
    case 'string': return str(f);
    case 'int': return toInt(f);
    case 'bool': return (f.int ?? 0n) !== 0n;
    case 'bytes': return (f.bytes ?? Buffer.alloc(0)).toString('base64');
    case 'quantity': return quantity(f);
    case 'intstr': {
      const v = message(f.bytes ?? Buffer.alloc(0), 'IntOrString', depth + 1, path);
      return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
    }
    case 'time': return time(f, depth, path);
    default: return message(f.bytes ?? Buffer.alloc(0), type, depth + 1, path);
  }
}

/** Fields whose zero value is meaningful (pointers in the Go types that kubectl sets explicitly). */
const keepZero = new Set(['replicas', 'minReplicas']);

/**
 * Go's protobuf encoding writes every non-pointer scalar, even when empty, where JSON would omit
 * it (`omitempty`); an empty string, false or 0 is therefore read as "unset".
 */
function isZero(f: Field, type: FieldType, key: string): boolean {
  if (type === 'string') return (f.bytes?.length ?? 0) === 0;
  if (type === 'bool') return (f.int ?? 0n) === 0n;
  if (type === 'int') return (f.int ?? 0n) === 0n && !keepZero.has(key);
  return false;
}

/** Decodes one message by schema name; unknown field numbers are skipped. `path` names it in errors (`spec.template`). */
function message(buf: Buffer, name: string, depth: number, path: string): Record<string, unknown> {
  if (depth > 40) throw bad('message nested too deeply');
  const schema = messages[name];
  if (!schema) throw bad(`no schema for ${name}`);
  const out: Record<string, unknown> = {};
  for (const f of fields(buf)) {
    const spec = schema[f.no];
    if (!spec) continue;
    const [key, type] = spec;
    if (isZero(f, type, key)) continue;
    const at = path === '' ? key : `${path}.${key}`;
    if ((type === 'int' || type === 'bool') !== (f.wire === 0)) throw bad(`field ${name}.${key} has the wrong wire type`);
    if (type === 'map' || type === 'bmap' || type === 'qmap') {
      const m = (out[key] ?? {}) as Record<string, string>;
      const [k, v] = mapEntry(f, type === 'map' ? 'string' : type === 'bmap' ? 'bytes' : 'quantity');
      m[k] = v;
      out[key] = m;
    } else if (type.endsWith('[]')) {
      const list = (out[key] ?? []) as unknown[];
      list.push(scalar(f, type.slice(0, -2), depth, `${at}[${list.length}]`));
      out[key] = list;
    } else {
      const v = scalar(f, type, depth, at);
      if (v !== undefined) out[key] = v;
    }
  }
  return out;
}

export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith('application/vnd.kubernetes.protobuf');
}

/** Decodes a whole protobuf request body into a Kubernetes object (with apiVersion and kind). */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(magic)) throw bad('missing the k8s protobuf prefix');
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  for (const f of fields(body.subarray(4))) {
    if (f.no === 1) {
      for (const t of fields(f.bytes ?? Buffer.alloc(0))) {
        if (t.no === 1) apiVersion = str(t);
        if (t.no === 2) kind = str(t);
      }
    } else if (f.no === 2) raw = f.bytes ?? Buffer.alloc(0);
  }
  const root = rootMessage(kind, apiVersion);
  if (!root) {
    throw new ApiError('UnsupportedMediaType', `the protobuf encoding of ${kind || 'this kind'} is not supported by this server; send application/json`);
  }
  return { apiVersion, kind, ...message(raw, root, 0, '') };
}
