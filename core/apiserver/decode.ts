/** Reading request bodies under a size limit and decoding JSON or YAML into plain values. */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../api/index.js';
import { decodeProtobuf, isProtobuf } from './protobuf.js';

/**
 * Reads the body, refusing (413) as soon as it passes `limit` bytes — it never holds more
 * than `limit` bytes in memory. A declared Content-Length over the limit fails before reading.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): ApiError {
  return new ApiError('RequestEntityTooLarge', `the request body is too large: limit is ${limit} bytes`);
}

/** Decodes a JSON body; anything that is not valid JSON is a 400 BadRequest. */
export function decodeJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new ApiError('BadRequest', 'the request body is empty');
  try {
    return checkDepth(JSON.parse(text) as unknown);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('BadRequest', `error decoding JSON: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** Decodes YAML (a JSON document is YAML too); one document only. */
export function decodeYaml(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new ApiError('BadRequest', 'the request body is empty');
  try {
    return checkDepth(parseYaml(text, { maxAliasCount: 100, uniqueKeys: true, merge: false }) as unknown);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('BadRequest', `error decoding YAML: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** Decodes by content type: YAML for `*yaml`, JSON otherwise. */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const ct = (contentType ?? 'application/json').toLowerCase();
  return ct.includes('yaml') ? decodeYaml(body) : decodeJson(body);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decodes a body that must be a JSON object (a Kubernetes object). */
export function decodeObject(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (isProtobuf(contentType)) return decodeProtobuf(body);
  const v = decodeBody(body, contentType);
  if (!isPlainObject(v)) throw new ApiError('BadRequest', 'the request body must be a JSON object');
  return v;
}

/** Deepest nesting accepted in a body (Kubernetes objects are far shallower). */
export const maxDepth = 100;

/** Rejects bodies nested deeper than `maxDepth`, so recursive processing cannot overflow the stack. */
export function checkDepth(v: unknown): unknown {
  const stack: [unknown, number][] = [[v, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, depth] = top;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > maxDepth) throw new ApiError('BadRequest', `the request body is nested deeper than ${maxDepth} levels`);
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return v;
}
