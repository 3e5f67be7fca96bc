import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExposition } from '../../../autoscaler/metrics/index.js';
import type { MetricFamily } from '../../../autoscaler/metrics/index.js';

const valid: { description: string; text: string; families: MetricFamily[] }[] = [
  { description: 'empty input', text: '', families: [] },
  { description: 'blank lines and plain comments only', text: '\n\n# just a comment\n   \n#\n', families: [] },
  {
    description: 'counter with HELP, TYPE and labels',
    text: '# HELP http_requests_total Total requests.\n# TYPE http_requests_total counter\nhttp_requests_total{method="GET",path="/",code="200"} 1027\nhttp_requests_total{method="POST",path="/",code="500"} 3\n',
    families: [{ name: 'http_requests_total', type: 'counter', help: 'Total requests.', samples: [
      { name: 'http_requests_total', labels: { method: 'GET', path: '/', code: '200' }, value: 1027 },
      { name: 'http_requests_total', labels: { method: 'POST', path: '/', code: '500' }, value: 3 },
    ] }],
  },
  {
    description: 'gauge without labels, with a timestamp, negative and exponent values',
    text: '# TYPE temp gauge\ntemp -1.5e3 1395066363000\nother 12.5\n',
    families: [
      { name: 'temp', type: 'gauge', samples: [{ name: 'temp', labels: {}, value: -1500, timestampMs: 1395066363000 }] },
      { name: 'other', type: 'untyped', samples: [{ name: 'other', labels: {}, value: 12.5 }] },
    ],
  },
  {
    description: 'histogram buckets, sum and count belong to one family; +Inf bucket',
    text: '# TYPE d histogram\nd_bucket{le="0.1"} 1\nd_bucket{le="+Inf"} 3\nd_sum 0.7\nd_count 3\n',
    families: [{ name: 'd', type: 'histogram', samples: [
      { name: 'd_bucket', labels: { le: '0.1' }, value: 1 },
      { name: 'd_bucket', labels: { le: '+Inf' }, value: 3 },
      { name: 'd_sum', labels: {}, value: 0.7 },
      { name: 'd_count', labels: {}, value: 3 },
    ] }],
  },
  {
    description: 'summary quantiles, sum and count',
    text: '# TYPE rpc summary\nrpc{quantile="0.5"} 4.7\nrpc{quantile="0.99"} NaN\nrpc_sum 17\nrpc_count 4\n',
    families: [{ name: 'rpc', type: 'summary', samples: [
      { name: 'rpc', labels: { quantile: '0.5' }, value: 4.7 },
      { name: 'rpc', labels: { quantile: '0.99' }, value: NaN },
      { name: 'rpc_sum', labels: {}, value: 17 },
      { name: 'rpc_count', labels: {}, value: 4 },
    ] }],
  },
  {
    description: 'label value escapes \\\\ \\" \\n, and braces/commas/spaces inside values',
    text: 'm{a="back\\\\slash",b="say \\"hi\\"",c="line\\nbreak",d="{x, y} = z"} 1\n',
    families: [{ name: 'm', type: 'untyped', samples: [{ name: 'm', labels: { a: 'back\\slash', b: 'say "hi"', c: 'line\nbreak', d: '{x, y} = z' }, value: 1 }] }],
  },
  {
    description: 'NaN, +Inf, -Inf and Inf values; trailing comma and blanks in labels',
    text: 'a NaN\nb +Inf\nc -Inf\nd{ x = "1" , } Inf\n',
    families: [
      { name: 'a', type: 'untyped', samples: [{ name: 'a', labels: {}, value: NaN }] },
      { name: 'b', type: 'untyped', samples: [{ name: 'b', labels: {}, value: Infinity }] },
      { name: 'c', type: 'untyped', samples: [{ name: 'c', labels: {}, value: -Infinity }] },
      { name: 'd', type: 'untyped', samples: [{ name: 'd', labels: { x: '1' }, value: Infinity }] },
    ],
  },
  {
    description: 'HELP escapes, CRLF line endings, tabs and empty label set',
    text: '# HELP h first\\nsecond \\\\ end\r\n# TYPE h gauge\r\nh{}\t2\r\n',
    families: [{ name: 'h', type: 'gauge', help: 'first\nsecond \\ end', samples: [{ name: 'h', labels: {}, value: 2 }] }],
  },
  {
    description: 'a TYPE with no samples yields an empty family; colons in metric names',
    text: '# TYPE job:rate:5m gauge\n# TYPE empty counter\njob:rate:5m 0.5\n',
    families: [
      { name: 'job:rate:5m', type: 'gauge', samples: [{ name: 'job:rate:5m', labels: {}, value: 0.5 }] },
      { name: 'empty', type: 'counter', samples: [] },
    ],
  },
  {
    description: 'OpenMetrics-style counter family without _total owns the _total sample',
    text: '# TYPE reqs counter\nreqs_total 5\n',
    families: [{ name: 'reqs', type: 'counter', samples: [{ name: 'reqs_total', labels: {}, value: 5 }] }],
  },
];

for (const c of valid) {
  test(`parseExposition: ${c.description}`, () => {
    const r = parseExposition(c.text);
    assert.ok(r.ok, r.ok ? '' : `line ${r.error.line}: ${r.error.message}`);
    assert.deepEqual(r.families, c.families);
  });
}

const malformed: { description: string; text: string; line: number; message: RegExp }[] = [
  { description: 'missing value', text: 'ok 1\nfoo\n', line: 2, message: /missing value/ },
  { description: 'non-numeric value', text: 'foo bar\n', line: 1, message: /invalid value "bar"/ },
  { description: 'invalid metric name', text: '0foo 1\n', line: 1, message: /invalid metric name/ },
  { description: 'unterminated label value', text: 'foo{a="x} 1\n', line: 1, message: /unterminated/ },
  { description: 'label value not quoted', text: 'foo{a=x} 1\n', line: 1, message: /expected '"'/ },
  { description: 'invalid escape in a label value', text: 'foo{a="\\t"} 1\n', line: 1, message: /invalid escape/ },
  { description: 'invalid label name', text: 'foo{1a="x"} 1\n', line: 1, message: /invalid label name/ },
  { description: 'duplicate label name', text: 'foo{a="1",a="2"} 1\n', line: 1, message: /duplicate label name a/ },
  { description: 'missing comma between labels', text: 'foo{a="1" b="2"} 1\n', line: 1, message: /expected ',' or '}'/ },
  { description: 'invalid timestamp', text: 'foo 1 12.5\n', line: 1, message: /invalid timestamp/ },
  { description: 'text after the timestamp', text: 'foo 1 12 extra\n', line: 1, message: /unexpected text/ },
  { description: 'unknown metric type', text: '# TYPE foo bogus\n', line: 1, message: /unknown metric type/ },
  { description: 'second TYPE line', text: '# TYPE foo gauge\n# TYPE foo counter\n', line: 2, message: /second TYPE/ },
  { description: 'TYPE after samples', text: 'foo 1\n# TYPE foo gauge\n', line: 2, message: /TYPE reported after samples/ },
  { description: 'second HELP line', text: '# HELP foo a\n# HELP foo b\n', line: 2, message: /second HELP/ },
  { description: 'histogram bucket without le', text: '# TYPE h histogram\nh_bucket 1\n', line: 2, message: /no "le" label/ },
  { description: 'histogram bucket with a bad le', text: '# TYPE h histogram\nh_bucket{le="x"} 1\n', line: 2, message: /invalid "le"/ },
  { description: 'summary sample without quantile', text: '# TYPE s summary\ns 1\n', line: 2, message: /no "quantile" label/ },
  { description: 'duplicate series', text: 'foo{a="1"} 1\nfoo{a="1"} 2\n', line: 2, message: /duplicate sample/ },
  { description: 'binary garbage', text: '\u0000\u0001\u0002 \u00ff\n', line: 1, message: /invalid metric name/ },
  { description: 'HTML instead of metrics', text: '<html>\n<body>oops</body>\n', line: 1, message: /invalid metric name/ },
];

for (const c of malformed) {
  test(`parseExposition rejects: ${c.description}`, () => {
    const r = parseExposition(c.text);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.line, c.line);
      assert.match(r.error.message, c.message);
    }
  });
}

test('parseExposition parses what prom-client exposes (histogram with labels, counter, gauge)', async () => {
  const { Registry, Counter, Histogram } = await import('prom-client');
  const registry = new Registry();
  const c = new Counter({ name: 'http_requests_total', help: 'Requests "quoted" \\ backslash\nnewline', labelNames: ['method', 'path', 'code'], registers: [registry] });
  const h = new Histogram({ name: 'http_request_duration_seconds', help: 'Latency.', labelNames: ['method'], buckets: [0.1, 1], registers: [registry] });
  c.inc({ method: 'GET', path: '/a"b\\c\nd', code: '200' }, 3);
  h.observe({ method: 'GET' }, 0.5);
  const r = parseExposition(await registry.metrics());
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  const counter = r.families.find((f) => f.name === 'http_requests_total');
  assert.equal(counter?.type, 'counter');
  assert.equal(counter?.help, 'Requests "quoted" \\ backslash\nnewline');
  assert.deepEqual(counter?.samples[0]?.labels, { method: 'GET', path: '/a"b\\c\nd', code: '200' });
  assert.equal(counter?.samples[0]?.value, 3);
  const hist = r.families.find((f) => f.name === 'http_request_duration_seconds');
  assert.equal(hist?.type, 'histogram');
  assert.deepEqual(hist?.samples.map((s) => [s.name, s.labels.le ?? '', s.value]), [
    ['http_request_duration_seconds_bucket', '0.1', 0], ['http_request_duration_seconds_bucket', '1', 1], ['http_request_duration_seconds_bucket', '+Inf', 1],
    ['http_request_duration_seconds_sum', '', 0.5], ['http_request_duration_seconds_count', '', 1],
  ]);
});
