/** Reading request bodies under a size limit and decoding JSON or YAML into plain values. */
import type { IncomingMessage } from 'node:http';
import { Composer, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, YAMLError, YAMLParseError } from 'yaml';
import type { CST, Document } from 'yaml';
import { ApiError } from '../api/index.js';
import { checkDepth, maxDepth, scanJsonDepth, tooDeep } from './depth.js';
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
  return new ApiError('RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

/** Decodes a JSON body; anything that is not valid JSON is a 400 BadRequest, and so is nesting past `maxDepth`. */
export function decodeJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new ApiError('BadRequest', 'the request body is empty');
  scanJsonDepth(text);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ApiError('BadRequest', `error decoding JSON: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/**
 * Decodes YAML (a JSON document is YAML too); one document only. The parser is fed one token
 * at a time and refused as soon as its stack of open collections passes `maxDepth`, so an
 * over-deep body costs no more than the tokens read up to that point.
 */
export function decodeYaml(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new ApiError('BadRequest', 'the request body is empty');
  const lines = new LineCounter();
  try {
    const doc = composeOne(text, lines);
    const first = doc.errors[0];
    if (first) throw first;
    checkUniqueKeys(doc);
    return checkDepth(doc.toJS({ maxAliasCount: 100 }));
  } catch (e) {
    if (e instanceof ApiError) throw e;
    const at = e instanceof YAMLError ? lines.linePos(e.pos[0]) : undefined;
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    throw new ApiError('BadRequest', `error decoding YAML: ${(e as Error).message}${where}`, undefined, { cause: e });
  }
}

function composeOne(text: string, lines: LineCounter): Document.Parsed {
  // The library's own unique-key check compares each key with every earlier one (quadratic in a
  // map's size); `checkUniqueKeys` does the same check in one pass.
  const composer = new Composer({ uniqueKeys: false, merge: false });
  let doc: Document.Parsed | undefined;
  for (const d of composer.compose(depthLimitedTokens(text, lines), true, text.length)) {
    if (doc) throw new ApiError('BadRequest', 'error decoding YAML: the request body must hold one YAML document');
    doc = d;
  }
  if (!doc) throw new ApiError('BadRequest', 'the request body is empty');
  return doc;
}

/** Refuses a map with the same scalar key twice, as the YAML library would, with a Set per map. */
function checkUniqueKeys(doc: Document.Parsed): void {
  const stack: unknown[] = [doc.contents];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (isSeq(node)) {
      stack.push(...node.items);
    } else if (isMap(node)) {
      const seen = new Set<string>();
      for (const { key, value } of node.items) {
        if (isScalar(key)) {
          const id = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(id)) throw new YAMLParseError([key.range?.[0] ?? 0, key.range?.[1] ?? 0], 'DUPLICATE_KEY', 'Map keys must be unique');
          seen.add(id);
        }
        stack.push(value);
      }
    }
  }
}

function* depthLimitedTokens(text: string, lines: LineCounter): Generator<CST.Token> {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    yield* parser.next(lexeme);
    // The stack holds the document, every collection still open around the current token and
    // at most one scalar; the exact limit is checked on the decoded value.
    if (parser.stack.length > maxDepth + 2) throw tooDeep();
  }
  yield* parser.end();
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
