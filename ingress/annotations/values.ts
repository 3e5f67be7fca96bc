/** Pure value parsers for annotation strings. Each returns `{ ok: false, message }` instead of throwing. */
import { compileRegex } from './regex.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** Go's `strconv.ParseBool`, which ingress-nginx uses. */
export function parseBool(raw: string): Parsed<boolean> {
  const v = raw.trim();
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return ok(true);
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return ok(false);
  return fail(`"${clip(raw)}" is not a boolean`);
}

/** A decimal integer in `[min, max]`. */
export function parseIntIn(raw: string, min: number, max: number): Parsed<number> {
  const v = raw.trim();
  if (!/^\d{1,10}$/.test(v)) return fail(`"${clip(raw)}" is not a non-negative integer`);
  const n = Number(v);
  if (n < min || n > max) return fail(`${n} is outside ${min}..${max}`);
  return ok(n);
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** nginx size syntax (`0`, `512`, `512k`, `1m`, `2g`); `0` means unlimited → `null`. */
export function parseNginxSize(raw: string): Parsed<number | null> {
  const m = /^(\d{1,12})([kKmMgG]?)$/.exec(raw.trim());
  if (m === null) return fail(`"${clip(raw)}" is not an nginx size such as 1m, 512k or 0`);
  const n = Number(m[1]);
  const unit = SIZE_UNITS[(m[2] ?? '').toLowerCase()] ?? 1;
  if (n === 0) return ok(null);
  const bytes = n * unit;
  if (!Number.isSafeInteger(bytes)) return fail(`"${clip(raw)}" is too large`);
  return ok(bytes);
}

/** An HTTP token (RFC 9110 §5.6.2): header and cookie names. */
export function parseToken(raw: string): Parsed<string> {
  const v = raw.trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/.test(v)) return fail(`"${clip(raw)}" is not a valid token`);
  return ok(v);
}

/** Printable ASCII without quotes, semicolons or backslashes: safe to echo in a header or cookie value. */
export function parseSafeValue(raw: string): Parsed<string> {
  if (raw.length === 0 || raw.length > 1024) return fail('must be 1..1024 characters');
  if (!/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/.test(raw)) return fail(`"${clip(raw)}" contains characters that are not allowed`);
  return ok(raw);
}

/** A regular expression RE2 compiles (see regex.ts). */
export function parseRegex(raw: string): Parsed<string> {
  if (raw.length === 0 || raw.length > 1024) return fail('must be 1..1024 characters');
  const c = compileRegex(raw);
  if (!c.ok) return fail(`"${clip(raw)}" is not a valid regular expression: ${c.message}`);
  return ok(raw);
}

/** A path for a cookie or a rewrite: starts with `/`, no whitespace, controls, quotes, `;`, `\`, `?`, `#`, braces. */
export function parsePathValue(raw: string): Parsed<string> {
  const v = raw.trim();
  if (!v.startsWith('/')) return fail(`"${clip(raw)}" must start with /`);
  if (!/^[\x21\x24-\x3a\x3d\x40-\x5b\x5d-\x7a\x7c\x7e]+$/.test(v)) return fail(`"${clip(raw)}" contains characters that are not allowed`);
  if (v.split('/').some((s) => s === '.' || s === '..')) return fail(`"${clip(raw)}" must not contain dot segments`);
  return ok(v);
}

/** A comma-separated list, each item checked by `item`; empty items are errors. */
export function parseList(raw: string, item: (s: string) => Parsed<string>): Parsed<string[]> {
  const out: string[] = [];
  for (const part of raw.split(',')) {
    const p = item(part.trim());
    if (!p.ok) return p;
    out.push(p.value);
  }
  return out.length === 0 ? fail('empty list') : ok(out);
}

/** `*`, or `http(s)://host[:port]` where host may start with a `*.` label. */
export function parseOrigin(raw: string): Parsed<string> {
  if (raw === '*') return ok(raw);
  const re = /^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;
  return re.test(raw) ? ok(raw) : fail(`"${clip(raw)}" is not an origin such as https://example.com`);
}

/** HTTP method names for CORS. */
export function parseMethod(raw: string): Parsed<string> {
  return /^[A-Za-z]{1,20}$/.test(raw) ? ok(raw.toUpperCase()) : fail(`"${clip(raw)}" is not an HTTP method`);
}

/** Header names for CORS (ingress-nginx allows letters, digits, `-` and `_`; `*` too). */
export function parseHeaderName(raw: string): Parsed<string> {
  return /^([A-Za-z0-9_-]{1,128}|\*)$/.test(raw) ? ok(raw) : fail(`"${clip(raw)}" is not a header name`);
}

/** One or more concatenated nginx variables, e.g. `$request_uri` or `$http_x_user$remote_addr`. */
export function parseHashBy(raw: string): Parsed<string> {
  const v = raw.trim();
  return /^(\$[A-Za-z_][A-Za-z0-9_]{0,63}){1,8}$/.test(v) ? ok(v) : fail(`"${clip(raw)}" is not an nginx variable expression such as $request_uri`);
}

/** Shortens untrusted input before it goes into a message. */
export function clip(s: string): string {
  // eslint-disable-next-line no-control-regex
  const printable = s.replace(/[\x00-\x1f\x7f]/g, '?');
  return printable.length > 64 ? `${printable.slice(0, 61)}...` : printable;
}
