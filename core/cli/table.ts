/** Printing `meta.k8s.io/v1` Tables the way kubectl does: upper-case headers, columns padded by three spaces. */

export interface TableColumn { name: string; type: string; priority?: number }
export interface TableRow { cells: unknown[]; object?: { metadata?: { namespace?: string; name?: string } } }
export interface Table { kind: 'Table'; columnDefinitions: TableColumn[]; rows: TableRow[]; metadata?: { resourceVersion?: string } }

export const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '<none>';
  return typeof v === 'string' ? v : String(v);
}

/** Rows as string cells: priority-0 columns (all with `wide`), a NAMESPACE column first when listing all namespaces. */
export function tableLines(t: Table, opts: { wide?: boolean; withNamespace?: boolean; headers?: boolean }): string[] {
  const keep = t.columnDefinitions.map((c, i) => ({ c, i })).filter(({ c }) => opts.wide || !c.priority);
  const header = keep.map(({ c }) => c.name.toUpperCase());
  const rows = t.rows.map((r) => keep.map(({ i }) => cell(r.cells[i])));
  if (opts.withNamespace) {
    header.unshift('NAMESPACE');
    t.rows.forEach((r, i) => rows[i]?.unshift(r.object?.metadata?.namespace ?? ''));
  }
  const all = opts.headers === false ? rows : [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd());
}
