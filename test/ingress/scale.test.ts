import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Ingress, PathType } from '../../core/api/index.js';
import { build, makeIngress, serviceFor } from './fixtures.js';

interface Rule { host: string; path: string; type: PathType; service: string }

/** The spec's matching, written the slow and obvious way: used as the oracle for the indexed table. */
function reference(rules: readonly Rule[], path: string): string {
  const elems = (p: string): string[] => p.split('/').filter((s) => s !== '');
  let best: { len: number; exact: boolean; service: string } | undefined;
  for (const r of rules) {
    let ok: boolean;
    if (r.type === 'Exact') ok = r.path === path;
    else {
      const want = elems(r.path);
      const got = elems(path);
      ok = want.length <= got.length && want.every((e, i) => got[i] === e);
    }
    if (!ok) continue;
    const len = r.type === 'Exact' ? r.path.length : `/${elems(r.path).join('/')}`.length;
    const exact = r.type === 'Exact';
    if (best === undefined || len > best.len || (len === best.len && exact && !best.exact)) best = { len, exact, service: r.service };
  }
  return best?.service ?? '404';
}

describe('a table with 10,000 Ingress rules', () => {
  const HOSTS = 400;
  const rules: Rule[] = [];
  const ingresses: Ingress[] = [];
  for (let i = 0; i < 10_000; i++) {
    const host = `h${i % HOSTS}.example.com`;
    const depth = i % 4;
    const segs = Array.from({ length: depth + 1 }, (_, d) => `s${(i >> (d * 2)) % 7}`);
    const path = `/${segs.join('/')}${i % 5 === 0 ? '/' : ''}`;
    const type: PathType = i % 3 === 0 ? 'Exact' : 'Prefix';
    const service = `svc-${i}`;
    ingresses.push(makeIngress({
      name: `ing-${i}`, created: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
      rules: [{ host, paths: [{ path, type, service }] }],
    }));
    rules.push({ host, path, type, service });
  }
  const b = build(ingresses);

  // The oracle keeps only each (host, kind, path) winner: the oldest, as the table does.
  const winners = new Map<string, Rule[]>();
  const seen = new Set<string>();
  for (const r of rules) {
    const key = `${r.host} ${r.type} ${r.type === 'Exact' ? r.path : r.path.replace(/\/$/, '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = winners.get(r.host) ?? [];
    list.push(r);
    winners.set(r.host, list);
  }

  it('keeps every non-conflicting rule and reports every conflicting one', () => {
    assert.equal(b.table.size, seen.size);
    assert.equal(b.problems.length, rules.length - seen.size);
    assert.ok(b.problems.every((p) => p.reason === 'Conflict'));
  });

  it('answers like the reference matcher for every rule path and its neighbours', () => {
    let checked = 0;
    let routed = 0;
    for (const r of rules) {
      const base = r.path.replace(/\/$/, '');
      for (const path of [r.path, `${base}/`, `${base}/x`, `${base}x`, `${base}/s1/s2`]) {
        const want = reference(winners.get(r.host) ?? [], path);
        assert.equal(serviceFor(b, r.host, path), want, `${r.host}${path}`);
        checked++;
        if (want !== '404') routed++;
      }
    }
    assert.equal(checked, 50_000);
    assert.ok(routed > 25_000, `only ${routed} requests were routed: the sample is too sparse to mean anything`);
  });

  it('unknown hosts and unknown paths miss', () => {
    assert.equal(serviceFor(b, `h${HOSTS}.example.com`, '/s0'), '404');
    assert.equal(serviceFor(b, 'h1.example.com', '/zzz'), '404');
  });
});
