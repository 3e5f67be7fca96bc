/** `skiff get KIND [NAME] [-n NS|-A] [-l SELECTOR] [-o yaml|json|wide|name] [-w]`. */
import { stringify } from 'yaml';
import type { KubeObject } from '../api/index.js';
import type { KubeClient } from '../client/index.js';
import type { Io } from './apply.js';
import { parse, UsageError } from './args.js';
import { discover, displayName, resolveResource, resourcePath, type ApiResource } from './resources.js';
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
  const r = resolveResource(await discover(client), kind);
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
  const headers = { accept: tableAccept };
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
  const fieldSelector = names.length === 1 ? `metadata.name=${names[0]}` : undefined;
  const extra: Record<string, string> = { watch: 'true', allowWatchBookmarks: 'true' };
  if (rv) extra.resourceVersion = rv;
  if (fieldSelector) extra.fieldSelector = fieldSelector;
  for await (const ev of client.stream(resourcePath(r, ns) + query(values.selector, extra), structured ? {} : headers, signal)) {
    const e = ev as { type: string; object: KubeObject | Table };
    if (e.type === 'BOOKMARK' || e.type === 'ERROR') continue;
    if (structured) printObjects([e.object as KubeObject], true, output, r, io);
    else for (const line of tableLines(e.object as Table, { wide: output === 'wide', withNamespace: all, headers: false })) io.out(line);
  }
  return 0;
}
