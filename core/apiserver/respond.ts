/** Writing JSON bodies and `Status` errors. */
import type { ServerResponse } from 'node:http';
import { ApiError } from '../api/index.js';
import type { Status } from '../api/index.js';

export function sendJson(res: ServerResponse, code: number, body: unknown, pretty = false, contentType = 'application/json'): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendStatus(res: ServerResponse, err: ApiError): void {
  sendJson(res, err.code, err.toStatus());
}

/** The Status Kubernetes answers a successful delete of a whole collection or a subresource action with. */
export function successStatus(details?: Status['details']): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', message: '', code: 200 };
  if (details) s.details = details;
  delete (s as Partial<Status>).message;
  return s;
}

export function badRequest(message: string): ApiError {
  return new ApiError('BadRequest', message);
}

export function notFound(resource: string, name: string, group = ''): ApiError {
  const qualified = group ? `${resource}.${group}` : resource;
  return new ApiError('NotFound', `${qualified} "${name}" not found`, { name, group, kind: resource });
}

export function methodNotAllowed(): ApiError {
  return new ApiError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** Adds a `Warning: 299 - "..."` header (kubectl prints these as `Warning: ...`). */
export function addWarning(res: ServerResponse, text: string): void {
  const value = `299 - ${JSON.stringify(text)}`;
  const prev = res.getHeader('Warning');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  res.setHeader('Warning', [...list, value]);
}
