/**
 * Request-path normalisation. The proxy routes AND forwards the same normalised path, so a backend can never
 * see a path that resolves differently from the one the route table matched.
 */

export type NormalizedPath =
  | { ok: true; path: string; query: string }
  | { ok: false; status: 400; reason: string };

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** Raw characters allowed as-is in a path (RFC 3986 pchar minus `%`, plus `/`). */
const RAW_OK = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;

type Step<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Normalises a request-target in origin form (`/path?query`): percent-decodes unreserved characters (so `%2e`
 * is a dot), upper-cases the hex of every other escape, percent-encodes stray printable characters and raw
 * bytes ≥ 0x80 (Node hands those over as latin1), rejects encoded `/`, `\`, NUL and control characters, raw
 * `\`, controls, `#`, malformed escapes and invalid or overlong UTF-8, merges duplicate slashes, resolves dot
 * segments (RFC 3986 §5.2.4) without ever climbing above `/`, and rejects dot segments carrying `;` parameters
 * (`/..;/`), which some servers treat as `..`. Decodes exactly once: `%252e` stays `%252E`.
 * The query string is returned untouched (without the `?`).
 */
export function normalizePath(rawPath: string): NormalizedPath {
  const q = rawPath.indexOf('?');
  const rawP = q < 0 ? rawPath : rawPath.slice(0, q);
  const query = q < 0 ? '' : rawPath.slice(q + 1);
  if (!rawP.startsWith('/')) return bad('path must start with /');
  const decoded = decodeOnce(rawP);
  if (!decoded.ok) return bad(decoded.reason);
  const resolved = resolveSegments(decoded.value);
  if (!resolved.ok) return bad(resolved.reason);
  return { ok: true, path: resolved.value, query };
}

function bad(reason: string): NormalizedPath {
  return { ok: false, status: 400, reason };
}

function hex(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** One pass over the raw path: validates and canonicalises every character and escape. */
function decodeOnce(raw: string): Step<string> {
  let out = '';
  const pending: number[] = []; // bytes ≥ 0x80 of a UTF-8 sequence being collected
  const flush = (): Step<true> => {
    if (pending.length === 0) return { ok: true, value: true };
    const v = checkUtf8(pending);
    pending.length = 0;
    if (!v.ok) return v;
    out += v.value;
    return { ok: true, value: true };
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    let byte: number;
    if (c === 0x25) {
      const h = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(h)) return { ok: false, reason: 'malformed percent-encoding' };
      byte = parseInt(h, 16);
      i += 2;
      const forbidden = checkEncodedByte(byte);
      if (forbidden !== undefined) return { ok: false, reason: forbidden };
    } else {
      if (c > 0xff) return { ok: false, reason: 'non-ASCII character in path' };
      if (c < 0x20 || c === 0x7f) return { ok: false, reason: 'control character in path' };
      if (c === 0x5c) return { ok: false, reason: 'backslash in path' };
      if (c === 0x23) return { ok: false, reason: 'fragment in request path' };
      byte = c;
    }
    if (byte >= 0x80) {
      pending.push(byte);
      continue;
    }
    const f = flush();
    if (!f.ok) return f;
    const ch = String.fromCharCode(byte);
    if (c === 0x25) out += UNRESERVED.test(ch) ? ch : hex(byte);
    else out += RAW_OK.test(ch) ? ch : hex(byte);
  }
  const f = flush();
  return f.ok ? { ok: true, value: out } : f;
}

function checkEncodedByte(byte: number): string | undefined {
  if (byte === 0x2f) return 'encoded slash in path';
  if (byte === 0x5c) return 'encoded backslash in path';
  if (byte === 0x00) return 'encoded NUL in path';
  if (byte < 0x20 || byte === 0x7f) return 'encoded control character in path';
  return undefined;
}

/** Validates a run of bytes ≥ 0x80 as shortest-form UTF-8 (no surrogates, ≤ U+10FFFF); returns them escaped. */
function checkUtf8(bytes: readonly number[]): Step<string> {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
    if (len === 0 || i + len > bytes.length) return { ok: false, reason: 'invalid or overlong UTF-8 in path' };
    let cp = b & (len === 2 ? 0x1f : len === 3 ? 0x0f : 0x07);
    for (let k = 1; k < len; k++) {
      const cb = bytes[i + k] ?? 0;
      if ((cb & 0xc0) !== 0x80) return { ok: false, reason: 'invalid UTF-8 in path' };
      cp = (cp << 6) | (cb & 0x3f);
    }
    const min = len === 2 ? 0x80 : len === 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { ok: false, reason: 'invalid or overlong UTF-8 in path' };
    i += len;
  }
  return { ok: true, value: bytes.map(hex).join('') };
}

/** Merges empty segments and resolves `.`/`..` (never above the root); keeps a trailing slash. */
function resolveSegments(path: string): Step<string> {
  const parts = path.split('/');
  const out: string[] = [];
  let trailing = false;
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i] ?? '';
    const last = i === parts.length - 1;
    trailing = false;
    if (/^\.\.?(;|%3B)/i.test(seg)) return { ok: false, reason: 'dot segment with path parameters' };
    if (seg === '' || seg === '.') {
      trailing = last;
      continue;
    }
    if (seg === '..') {
      out.pop();
      trailing = last;
      continue;
    }
    out.push(seg);
  }
  if (out.length === 0) return { ok: true, value: '/' };
  return { ok: true, value: `/${out.join('/')}${trailing ? '/' : ''}` };
}
