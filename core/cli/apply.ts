/** `skiff apply -f FILE|DIR|-` and `skiff delete -f FILE | KIND NAME`: server-side apply and deletion that waits. */
import { ApiError, isNotFound, type KubeObject } from '../api/index.js';
import type { KubeClient } from '../client/index.js';
import { parse, UsageError } from './args.js';
import { readManifests, type Manifest } from './manifests.js';
import { discover, displayName, findResource, resourceForObject, resourcePath, type ApiResource } from './resources.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  stdin: () => string;
}

/** Maps manifests to resources, re-reading discovery once when a kind is unknown (a CRD applied earlier in the same run). */
class Mapper {
  private all: ApiResource[] | undefined;
  constructor(private readonly client: KubeClient) {}
  async forObject(o: KubeObject): Promise<ApiResource> {
    this.all ??= await discover(this.client);
    try {
      return resourceForObject(this.all, o.apiVersion, o.kind);
    } catch {
      this.all = await discover(this.client, true);
      return resourceForObject(this.all, o.apiVersion, o.kind);
    }
  }
}

async function tryGet(client: KubeClient, path: string): Promise<KubeObject | undefined> {
  try {
    return await client.request<KubeObject>('GET', path);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function applyOne(client: KubeClient, r: ApiResource, m: Manifest, namespace: string): Promise<string> {
  const name = m.object.metadata.name;
  if (!name) throw new UsageError(`error from ${m.source}: ${m.object.kind} has no metadata.name`);
  const ns = r.namespaced ? (m.object.metadata.namespace ?? namespace) : undefined;
  const body: KubeObject = r.namespaced ? { ...m.object, metadata: { ...m.object.metadata, namespace: ns } } : m.object;
  const path = resourcePath(r, ns, name);
  const before = await tryGet(client, path);
  const after = await client.request<KubeObject>('PATCH', `${path}?fieldManager=skiff&force=true`, body, {
    headers: { 'Content-Type': 'application/apply-patch+yaml' },
  });
  const verb = !before ? 'created' : before.metadata.resourceVersion === after.metadata.resourceVersion ? 'unchanged' : 'configured';
  return `${displayName(r, name)} ${verb}`;
}

export async function apply(client: KubeClient, argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, { filename: { type: 'string', short: 'f', multiple: true }, namespace: { type: 'string', short: 'n' } }, false);
  const files = values.filename ?? [];
  if (files.length === 0) throw new UsageError('must specify one of -f (a file, a directory, or - for stdin)');
  const manifests = readManifests(files, io.stdin);
  const mapper = new Mapper(client);
  let failed = 0;
  for (const m of manifests) {
    try {
      io.out(await applyOne(client, await mapper.forObject(m.object), m, values.namespace ?? 'default'));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      failed++;
      io.err(`Error from server: error when applying "${m.source}": ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

async function waitGone(client: KubeClient, path: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await tryGet(client, path))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

interface Target { r: ApiResource; ns: string | undefined; name: string }

export async function del(client: KubeClient, argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    filename: { type: 'string', short: 'f', multiple: true },
    namespace: { type: 'string', short: 'n' },
    wait: { type: 'boolean' },
    'no-wait': { type: 'boolean' },
  });
  const namespace = values.namespace ?? 'default';
  const targets: Target[] = [];
  if (values.filename) {
    const mapper = new Mapper(client);
    for (const m of readManifests(values.filename, io.stdin)) {
      const r = await mapper.forObject(m.object);
      const name = m.object.metadata.name;
      if (!name) throw new UsageError(`error from ${m.source}: ${m.object.kind} has no metadata.name`);
      targets.push({ r, ns: r.namespaced ? (m.object.metadata.namespace ?? namespace) : undefined, name });
    }
  } else {
    const [kind, ...names] = positionals;
    if (!kind || names.length === 0) throw new UsageError('usage: skiff delete -f FILE | KIND NAME [NAME...]');
    const r = await findResource(client, kind);
    for (const name of names) targets.push({ r, ns: r.namespaced ? namespace : undefined, name });
  }
  // Like kubectl: every delete is sent first, then each is waited for (deleting a Namespace first
  // must not turn the deletes of what it holds into NotFound errors).
  let failed = 0;
  const sent: Target[] = [];
  for (const t of targets) {
    try {
      await client.request('DELETE', resourcePath(t.r, t.ns, t.name), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
      sent.push(t);
    } catch (e) {
      failed++;
      io.err(`Error from server${e instanceof ApiError ? ` (${e.reason})` : ''}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const t of sent) {
    if (!values['no-wait'] && !(await waitGone(client, resourcePath(t.r, t.ns, t.name), 60_000))) {
      failed++;
      io.err(`timed out waiting for ${displayName(t.r, t.name)} to be deleted`);
      continue;
    }
    io.out(`${displayName(t.r, t.name)} deleted`);
  }
  return failed > 0 ? 1 : 0;
}
