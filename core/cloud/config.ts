/** The cloud-config file: a small YAML (or JSON) document handed to the provider factory as `cloudConfig`. */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { CloudError } from './errors.js';

/** Parses cloud-config text; empty text is `{}`. Rejects anything but a mapping at the top. Pure. */
export function parseCloudConfig(text: string, source = 'cloud-config'): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new CloudError('InvalidArgument', `${source}: invalid YAML: ${(e as Error).message}`, { cause: e });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new CloudError('InvalidArgument', `${source}: top level must be a mapping`);
  return doc as Record<string, unknown>;
}

/** Reads and parses the cloud-config at `path`; `{}` when `path` is undefined. */
export async function loadCloudConfig(path: string | undefined, signal?: AbortSignal): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
  const text = await readFile(path, { encoding: 'utf8', ...(signal ? { signal } : {}) });
  return parseCloudConfig(text, path);
}
