/** `skiff get KIND [NAME] [-n NS|-A] [-l SELECTOR] [-o yaml|json|wide|name] [-w]`. */
import { stringify } from 'yaml';
import type { KubeObject } from '../api/index.js';
import type { KubeClient } from '../client/index.js';
import type { Io } from './apply.js';
import { parse, UsageError } from './args.js';
import { displayName, findResource, resourcePath, type ApiResource } from './resources.js';
import { tableAccept, tableLines, type Table } from './table.js';

const options = {
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  selector: { type: 'string', short: 'l' },
  output: { type: 'string', short: 'o' },
  watch: { type: 'boolean', short: 'w' },
} as const;

function query(selector: string | undefined, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  if (selector) q.set('labelSelector', selector);
  const s = q.toString();
  return s ? `?${s}` : '';
}

function printObjects(items: KubeObject[], single: boolean, output: string, r: ApiResource, io: Io): void {
  if (output === 'name') {
    for (const o of items) io.out(displayName(r, o.metadata.name ?? ''));
    return;
  }
  const value = single ? items[0] : { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
  io.out(output === 'json' ? JSON.stringify(value, null, 4) : stringify(value).trimEnd());
}

export async function get(client: KubeClient, argv: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, options);
  const [kind, ...names] = positionals;
  if (!kind) throw new UsageError('usage: skiff get KIND [NAME] [-n NAMESPACE | -A] [-o yaml|json|wide|name] [-w]');
  const output = values.output ?? '';
  if (!['', 'yaml', 'json', 'wide', 'name'].includes(output)) throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,wide,yaml`);
  const r = await findResource(client, kind);
  const all = values['all-namespaces'] === true && r.namespaced;
  const ns = all ? undefined : r.namespaced ? (values.namespace ?? 'default') : undefined;
  const structured = output === 'yaml' || output === 'json' || output === 'name';
  if (structured) {
    const items = names.length > 0
      ? await Promise.all(names.map((n) => client.request<KubeObject>('GET', resourcePath(r, ns, n))))
      : (await client.request<{ items: KubeObject[] }>('GET', resourcePath(r, ns) + query(values.selector))).items;
    printObjects(items, names.length === 1, output, r, io);
    if (!values.watch) return 0;
  }
  const headers = { headers: { Accept: tableAccept } };
  let rv = '';
  if (!structured) {
    const tables = names.length > 0
      ? await Promise.all(names.map((n) => client.request<Table>('GET', resourcePath(r, ns, n), undefined, headers)))
      : [await client.request<Table>('GET', resourcePath(r, ns) + query(values.selector), undefined, headers)];
    const first = tables[0];
    if (!first) return 0;
    const merged: Table = { ...first, rows: tables.flatMap((t) => t.rows) };
    rv = first.metadata?.resourceVersion ?? '';
    if (merged.rows.length === 0 && !values.watch) {
      io.err(ns ? `No resources found in ${ns} namespace.` : 'No resources found');
      return 0;
    }
    for (const line of tableLines(merged, { wide: output === 'wide', withNamespace: all })) io.out(line);
  }
  if (!values.watch) return 0;
  // Follow changes: structured output prints each object; tables re-read the changed row as a Table.
  const events = await client.watch({ apiVersion: r.apiVersion, plural: r.plural, namespaced: r.namespaced }, {
    ...(ns ? { namespace: ns } : {}),
    ...(rv ? { resourceVersion: rv } : {}),
    ...(names.length === 1 ? { fieldSelector: `metadata.name=${names[0]}` } : {}),
    ...(values.selector ? { labelSelector: values.selector } : {}),
    allowBookmarks: true,
    signal,
  });
  for await (const e of events) {
    if (e.type === 'BOOKMARK') continue;
    if (names.length > 1 && !names.includes(e.object.metadata.name ?? '')) continue;
    if (structured) {
      printObjects([e.object], true, output, r, io);
      continue;
    }
    if (e.type === 'DELETED') continue;
    const t = await client.request<Table>('GET', resourcePath(r, e.object.metadata.namespace, e.object.metadata.name), undefined, headers).catch(() => undefined);
    if (t) for (const line of tableLines(t, { wide: output === 'wide', withNamespace: all, headers: false })) io.out(line);
  }
  return 0;
}
