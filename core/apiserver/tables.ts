/** `meta.k8s.io/v1` Table responses (what `kubectl get` prints) for built-in kinds and CRDs. */
import type { KindInfo, KubeObject, PrinterColumn } from '../api/index.js';
import { since } from './age.js';
import { builtinColumns } from './table-columns.js';
import type { Column } from './table-columns.js';

/** True when the Accept header asks for a Table (`application/json;as=Table;v=v1;g=meta.k8s.io`). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'));
  });
}

const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', cell: (o) => o.metadata.name ?? '' };
const ageColumn: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', cell: (o, now) => since(o.metadata.creationTimestamp, now) };

/** The columns for a kind: built-in ones, a CRD's printer columns, or NAME AGE. */
export function columnsFor(info: KindInfo): Column[] {
  const builtin = info.custom ? undefined : builtinColumns(info, nameColumn, ageColumn);
  if (builtin) return builtin;
  if (info.printerColumns && info.printerColumns.length > 0) return [nameColumn, ...info.printerColumns.map(printerColumn)];
  return [nameColumn, ageColumn];
}

function printerColumn(pc: PrinterColumn): Column {
  const col: Column = {
    name: pc.name,
    type: pc.type === 'date' ? 'date' : pc.type,
    description: pc.description ?? '',
    cell: (o, now) => {
      const v = pc.jsonPath ? evalJsonPath(o, pc.jsonPath) : undefined;
      if (v === undefined) return null;
      if (pc.type === 'date') return since(v, now);
      if (typeof v === 'object') return JSON.stringify(v);
      return v;
    },
  };
  if (pc.priority) col.priority = pc.priority;
  return col;
}

/** Evaluates the simple JSONPath CRDs use: `.a.b`, `.a[0].b`, `.a[?(@.type=="Ready")].status`. */
export function evalJsonPath(obj: unknown, path: string): unknown {
  const tokens = path.replace(/^\{?\.?/, '').replace(/\}$/, '').match(/[^.[\]]+|\[[^\]]*\]/g) ?? [];
  let cur: unknown = obj;
  for (const tok of tokens) {
    if (cur === undefined || cur === null) return undefined;
    if (tok.startsWith('[')) {
      const inner = tok.slice(1, -1);
      const filter = /^\?\(@\.([\w.-]+)\s*==\s*["']?([^"')]*)["']?\)$/.exec(inner);
      if (!Array.isArray(cur)) return undefined;
      if (filter) {
        const [, field = '', want] = filter;
        cur = cur.find((item: unknown) => String(evalJsonPath(item, `.${field}`)) === want);
      } else cur = cur[Number(inner)];
    } else {
      cur = typeof cur === 'object' ? (cur as Record<string, unknown>)[tok] : undefined;
    }
  }
  return cur;
}

export interface TableMeta { resourceVersion: string; continue?: string }

/** Builds the Table for `objects`; rows carry PartialObjectMetadata, the whole object, or nothing. */
export function tableFor(info: KindInfo, objects: readonly KubeObject[], now: number, include: 'None' | 'Metadata' | 'Object', meta: TableMeta): Record<string, unknown> {
  const cols = columnsFor(info);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: cols.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority ?? 0 })),
    rows: objects.map((o) => {
      const row: Record<string, unknown> = { cells: cols.map((c) => safeCell(c, o, now)) };
      if (include === 'Object') row.object = o;
      else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      return row;
    }),
  };
}

function safeCell(c: Column, o: KubeObject, now: number): unknown {
  try {
    return c.cell(o, now);
  } catch {
    return '<unknown>';
  }
}
