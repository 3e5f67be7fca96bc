/**
 * State of the Compute Engine fake: resources keyed by their path (`projects/p/zones/z/disks/d`),
 * operations that take several polls (PENDING → RUNNING → DONE) and apply their effect when DONE,
 * list filters and pagination as the REST API documents them.
 */

export type Resource = Record<string, unknown>;

/** The canonical link prefix the API puts in `selfLink`s (never contacted). */
export const LINK_BASE = 'https://www.googleapis.com/compute/v1/';

export interface OperationState {
  resource: Resource;
  /** Polls left before DONE. */
  pollsLeft: number;
  effect: () => void;
  /** When set, the operation ends DONE with this error and no effect. */
  error?: { code: string; message: string };
}

export class GceError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }

  body(): Resource {
    return { error: { code: this.status, message: this.message, errors: [{ domain: 'global', reason: this.reason, message: this.message }] } };
  }
}

export const notFound = (path: string): GceError => new GceError(404, 'notFound', `The resource '${path}' was not found`);

let idSeq = 1000;

export class FakeStore {
  readonly resources = new Map<string, Resource>();
  readonly operations = new Map<string, OperationState>();
  /** requestId → operation path, for idempotent inserts. */
  readonly requestIds = new Map<string, string>();
  private opSeq = 0;
  private ipSeq = 10;
  pollsPerOperation = 2;

  get(path: string): Resource {
    const r = this.resources.get(path);
    if (!r) throw notFound(path);
    return r;
  }

  /** Adds a resource with the fields the API fills in (id, selfLink, creationTimestamp). */
  put(path: string, body: Resource): Resource {
    const scope = path.split('/').slice(0, -2).join('/');
    const r: Resource = { id: String(++idSeq), creationTimestamp: '2024-01-01T00:00:00.000-07:00', ...scopeFields(scope), ...body, selfLink: LINK_BASE + path };
    this.resources.set(path, r);
    return r;
  }

  nextIp(prefix: string): string {
    return `${prefix}.${++this.ipSeq}`;
  }

  /** Items directly in `collection` (a path without the name), filtered and paginated. */
  list(collection: string, query: URLSearchParams): Resource {
    const items = [...this.resources.entries()]
      .filter(([p]) => p.startsWith(collection + '/') && !p.slice(collection.length + 1).includes('/'))
      .map(([, r]) => r)
      .filter(matcher(query.get('filter') ?? ''))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    const max = Math.min(Number(query.get('maxResults') ?? '500') || 500, 500);
    const start = Number(query.get('pageToken') ?? '0');
    const page = items.slice(start, start + max);
    const next = start + max < items.length ? String(start + max) : undefined;
    return { kind: 'compute#list', id: collection, items: page, selfLink: LINK_BASE + collection, ...(next ? { nextPageToken: next } : {}) };
  }

  /** Starts an operation in `scope` (`projects/p/zones/z` etc.) on `target`; `effect` runs when it is DONE. */
  operation(scope: string, type: string, target: string, effect: () => void, error?: OperationState['error']): Resource {
    const name = `operation-${++this.opSeq}-${type}`;
    const path = `${scope}/operations/${name}`;
    const resource: Resource = {
      kind: 'compute#operation', id: String(++idSeq), name, operationType: type, status: 'PENDING', progress: 0,
      targetLink: LINK_BASE + target, selfLink: LINK_BASE + path, insertTime: '2024-01-01T00:00:00.000-07:00',
      ...scopeFields(scope),
    };
    this.operations.set(path, { resource, pollsLeft: this.pollsPerOperation, effect, ...(error ? { error } : {}) });
    return resource;
  }

  /** One poll of the operation at `path`: advances its status. */
  poll(path: string): Resource {
    const op = this.operations.get(path);
    if (!op) throw notFound(path);
    if (op.resource.status === 'DONE') return op.resource;
    op.pollsLeft -= 1;
    if (op.pollsLeft > 0) {
      op.resource.status = 'RUNNING';
      return op.resource;
    }
    op.resource.status = 'DONE';
    op.resource.progress = 100;
    if (op.error) {
      op.resource.error = { errors: [op.error] };
      op.resource.httpErrorStatusCode = 400;
      op.resource.httpErrorMessage = 'BAD REQUEST';
    } else {
      op.effect();
    }
    return op.resource;
  }
}

function scopeFields(scope: string): Resource {
  const zone = /\/zones\/([^/]+)$/.exec(scope);
  if (zone) return { zone: LINK_BASE + scope };
  const region = /\/regions\/([^/]+)$/.exec(scope);
  if (region) return { region: LINK_BASE + scope };
  return {};
}

/** A small subset of the list `filter` syntax: `a = "b"`, `a != b`, `a eq b`, several in parentheses ANDed. */
function matcher(filter: string): (r: Resource) => boolean {
  const terms: { field: string; op: string; value: string }[] = [];
  const re = /([\w.\-/]+)\s*(=|!=|\beq\b|\bne\b)\s*"?([^")\s]*)"?/g;
  for (let m = re.exec(filter); m; m = re.exec(filter)) terms.push({ field: m[1] ?? '', op: m[2] ?? '=', value: m[3] ?? '' });
  return (r) => terms.every((t) => {
    const v = String(fieldOf(r, t.field) ?? '');
    const eq = t.op === 'eq' || t.op === 'ne' ? new RegExp(`^${t.value}$`).test(v) : v === t.value;
    return t.op === '=' || t.op === 'eq' ? eq : !eq;
  });
}

function fieldOf(r: Resource, field: string): unknown {
  if (field.startsWith('labels.')) {
    const labels = (r.labels ?? {}) as Record<string, unknown>;
    return labels[field.slice('labels.'.length)];
  }
  return r[field];
}
