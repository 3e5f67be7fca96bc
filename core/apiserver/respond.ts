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

/** Kubernetes' warning-header budget: 4 Ki runes in all, past which each warning is cut to 256. */
const warningBudget = { totalRunes: 4 * 1024, itemRunes: 256 };

/**
 * Which warnings to send, as Kubernetes' warning recorder decides: duplicates dropped; once the
 * texts pass 4,096 runes, every warning is cut to 256 runes and none is added after the total
 * passes 4,096 again. Bounded whatever the number of warnings.
 */
function cappedWarnings(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  let written = 0;
  let truncating = false;
  const cut = (t: string): string => {
    const runes = [...t];
    return runes.length > warningBudget.itemRunes ? runes.slice(0, warningBudget.itemRunes).join('') : t;
  };
  for (const text of texts) {
    if (text === '' || seen.has(text)) continue;
    if (truncating && written >= warningBudget.totalRunes) break;
    seen.add(text);
    const item = truncating ? cut(text) : text;
    const runes = [...item].length;
    if (truncating || written + runes <= warningBudget.totalRunes) {
      kept.push(item);
      written += runes;
      continue;
    }
    // Over budget for the first time: replay everything kept so far, cut, then this one.
    truncating = true;
    const replay = [...kept.map(cut), cut(text)];
    kept.length = 0;
    written = 0;
    for (const t of replay) {
      kept.push(t);
      written += [...t].length;
    }
  }
  return kept;
}

/** Adds `Warning: 299 - "..."` headers (kubectl prints these as `Warning: ...`), within Kubernetes' budget. */
export function addWarnings(res: ServerResponse, texts: readonly string[]): void {
  const prev = res.getHeader('Warning');
  const earlier = (prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)]).map(warningText);
  const all = cappedWarnings([...earlier, ...texts]);
  if (all.length > 0) res.setHeader('Warning', all.map((t) => `299 - ${JSON.stringify(t)}`));
}

function warningText(header: string): string {
  const quoted = header.replace(/^299 - /, '');
  try {
    const t: unknown = JSON.parse(quoted);
    return typeof t === 'string' ? t : quoted;
  } catch {
    return quoted;
  }
}
