import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableLines, type Table } from '../../../core/cli/table.js';

const table: Table = {
  kind: 'Table',
  columnDefinitions: [
    { name: 'Name', type: 'string' },
    { name: 'Ready', type: 'string' },
    { name: 'IP', type: 'string', priority: 1 },
    { name: 'Age', type: 'string' },
  ],
  rows: [
    { cells: ['echo-1', '1/1', '127.101.1.2', '5s'], object: { metadata: { namespace: 'default', name: 'echo-1' } } },
    { cells: ['hello-long-name', '0/1', null, 3], object: { metadata: { namespace: 'kube-system', name: 'hello-long-name' } } },
  ],
};

describe('tableLines', () => {
  const cases = [
    {
      desc: 'priority-0 columns, upper-case headers, padded by three spaces',
      opts: {},
      out: ['NAME              READY   AGE', 'echo-1            1/1     5s', 'hello-long-name   0/1     3'],
    },
    {
      desc: 'wide adds priority columns; empty cells print <none>',
      opts: { wide: true },
      out: ['NAME              READY   IP            AGE', 'echo-1            1/1     127.101.1.2   5s', 'hello-long-name   0/1     <none>        3'],
    },
    {
      desc: 'a NAMESPACE column first for all namespaces',
      opts: { withNamespace: true },
      out: ['NAMESPACE     NAME              READY   AGE', 'default       echo-1            1/1     5s', 'kube-system   hello-long-name   0/1     3'],
    },
    {
      desc: 'no headers: widths come from the rows alone',
      opts: { headers: false },
      out: ['echo-1            1/1   5s', 'hello-long-name   0/1   3'],
    },
  ];
  for (const c of cases) it(c.desc, () => assert.deepEqual(tableLines(table, c.opts), c.out));

  it('an empty table is the header alone', () => {
    assert.deepEqual(tableLines({ ...table, rows: [] }, {}), ['NAME   READY   AGE']);
  });
});
