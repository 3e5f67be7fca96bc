/** Reading manifests for `skiff apply/delete -f`: files, directories (sorted, .yaml/.yml/.json) or stdin. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../api/index.js';
import { UsageError } from './args.js';

export interface Manifest {
  source: string;
  object: KubeObject;
}

function filesOf(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`the path "${path}" does not exist`);
  }
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((n) => /\.(ya?ml|json)$/.test(n))
    .sort()
    .map((n) => join(path, n));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a YAML or JSON stream into objects; `kind: List` is flattened. Errors name the source. */
export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  const docs = parseAllDocuments(text);
  for (const [i, doc] of docs.entries()) {
    if (doc.errors.length > 0) throw new UsageError(`error parsing ${source} (document ${i + 1}): ${doc.errors[0]?.message ?? 'invalid YAML'}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isObject(value)) throw new UsageError(`error parsing ${source} (document ${i + 1}): not an object`);
    const items = typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items) ? value.items : [value];
    for (const item of items) {
      if (!isObject(item) || typeof item.apiVersion !== 'string' || typeof item.kind !== 'string') {
        throw new UsageError(`error validating ${source}: document ${i + 1} has no apiVersion or kind`);
      }
      const metadata = isObject(item.metadata) ? item.metadata : {};
      out.push({ source, object: { ...item, apiVersion: item.apiVersion, kind: item.kind, metadata } });
    }
  }
  return out;
}

export function readManifests(paths: readonly string[], stdin: () => string): Manifest[] {
  const out: Manifest[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(...parseManifests(stdin(), 'STDIN'));
      continue;
    }
    for (const f of filesOf(p)) out.push(...parseManifests(readFileSync(f, 'utf8'), f));
  }
  return out;
}
