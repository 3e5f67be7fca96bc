/** Host-header and rule-host normalisation. Pure. */
import { clipForMessage } from '../annotations/index.js';

const LABEL = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
const DNS_NAME = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/**
 * Normalises a Host header (or SNI name) for lookup: lower-cased, port stripped, one trailing dot dropped,
 * IPv6 literals unbracketed (`[::1]:8080` → `::1`). Returns '' for an absent or malformed header, which only
 * the catch-all rules match.
 */
export function normalizeHost(raw: string | undefined): string {
  if (raw === undefined) return '';
  if (raw.length > 262) return normalizeUncached(raw); // longer than any valid name and port: not worth keeping
  let h = seen.get(raw);
  if (h === undefined) {
    h = normalizeUncached(raw);
    // Clients send few distinct Host headers; a flood of distinct ones only resets the memo.
    if (seen.size >= 4096) seen.clear();
    seen.set(raw, h);
  }
  return h;
}

/** Memo of normalizeHost: a pure function of the header. */
const seen = new Map<string, string>();

function normalizeUncached(raw: string): string {
  let h = raw.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end < 0) return '';
    const rest = h.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return '';
    return /^[0-9a-f:.]+$/.test(h.slice(1, end)) ? h.slice(1, end) : '';
  }
  const colon = h.indexOf(':');
  if (colon >= 0) {
    if (!/^:\d{0,5}$/.test(h.slice(colon))) return '';
    h = h.slice(0, colon);
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h.length > 253 || !DNS_NAME.test(h)) return '';
  return h;
}

export type RuleHost =
  | { ok: true; kind: 'any' }
  | { ok: true; kind: 'exact'; host: string }
  | { ok: true; kind: 'wildcard'; suffix: string }
  | { ok: false; message: string };

/** Classifies an Ingress rule's `host`: absent → any host; `*.foo.com` → wildcard of suffix `foo.com`. */
export function parseRuleHost(host: string | undefined): RuleHost {
  if (host === undefined || host === '') return { ok: true, kind: 'any' };
  let h = host.toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  const wildcard = h.startsWith('*.');
  const name = wildcard ? h.slice(2) : h;
  if (name.length > 253 || !DNS_NAME.test(name) || /^[0-9.]+$/.test(name)) {
    return { ok: false, message: `host "${clipForMessage(host)}" is not a DNS name or a *.wildcard` };
  }
  return wildcard ? { ok: true, kind: 'wildcard', suffix: name } : { ok: true, kind: 'exact', host: name };
}

/** The suffix a wildcard rule for `host` would be keyed by (`a.foo.com` → `foo.com`), or undefined. */
export function wildcardSuffix(host: string): string | undefined {
  const dot = host.indexOf('.');
  if (dot <= 0 || dot === host.length - 1) return undefined;
  return host.slice(dot + 1);
}
