import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import type { KubeObject, Node } from '../../core/api/index.js';
import type { ResourceTarget } from '../../core/client/index.js';
import { FakeClock, silentLogger } from '../../core/util/index.js';
import { Collector, DashboardServer, SnapshotHub, staticDir, type Snapshot } from '../../dashboard/index.js';
import { makeNode, makePod } from './fixtures.js';

/** Informers that are plain arrays, keyed by plural. */
function fakeInformers() {
  const data = new Map<string, KubeObject[]>();
  return {
    data,
    informerFor: <T extends KubeObject>(target: ResourceTarget) => ({ list: () => (data.get(target.plural) ?? []) as T[] }),
  };
}

/** Reads server-sent events from `res`, one parsed `snapshot` message at a time. */
function sseReader(res: IncomingMessage) {
  let buf = '';
  const queue: Snapshot[] = [];
  const waiters: ((s: Snapshot) => void)[] = [];
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (!block.includes('event: snapshot') || !data) continue;
      const snap = JSON.parse(data.slice(6)) as Snapshot;
      const w = waiters.shift();
      if (w) w(snap);
      else queue.push(snap);
    }
  });
  return { next: (): Promise<Snapshot> => new Promise((resolve) => { const s = queue.shift(); if (s) resolve(s); else waiters.push(resolve); }), pending: () => queue.length };
}

function get(port: number, path: string, opts: { method?: string; host?: string } = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${port}` } }, resolve);
    req.on('error', reject);
    req.end();
  });
}

async function body(res: IncomingMessage): Promise<string> {
  let s = '';
  for await (const c of res) s += String(c);
  return s;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const clock = new FakeClock();
  const informers = fakeInformers();
  informers.data.set('nodes', [makeNode({ name: 'n1' })]);
  informers.data.set('pods', [makePod({ name: 'p1', node: 'n1' })]);
  const hub = new SnapshotHub();
  const stop = new AbortController();
  const collector = new Collector({
    client: { request: () => Promise.resolve({ items: [] }) as never, serverResources: () => Promise.resolve([]) },
    informers, metrics: { getMetricsAsJSON: () => Promise.resolve([]) }, hub, clock, log: silentLogger,
  });
  const running = collector.run(stop.signal);
  const server = new DashboardServer({ hub, staticDir });
  const port = await server.listen(0, '127.0.0.1');
  cleanups.push(async () => {
    stop.abort();
    await clock.advance(10_000);
    await running;
  }, () => server.close());
  for (let i = 0; i < 100 && !hub.current(); i++) await new Promise((r) => setImmediate(r));
  return { clock, informers, hub, port };
}

describe('dashboard server', () => {
  it('sends the snapshot on connect and one update after an object changes', async () => {
    const { clock, informers, port } = await setup();
    const res = await get(port, '/api/events');
    assert.equal(res.headers['content-type'], 'text/event-stream');
    const events = sseReader(res);
    const first = await events.next();
    assert.deepEqual(first.nodes.map((n) => n.name), ['n1']);
    informers.data.set('nodes', [makeNode({ name: 'n1' }), makeNode({ name: 'n2', ready: false })]);
    await clock.advance(1000);
    const second = await events.next();
    assert.deepEqual(second.nodes.map((n) => [n.name, n.ready]), [['n1', true], ['n2', false]]);
    res.destroy();
  });

  it('publishes nothing when nothing changed once the series are full', async () => {
    const hub = new SnapshotHub();
    let calls = 0;
    hub.subscribe(() => calls++);
    const snap = (end: number): Snapshot => ({
      generatedAt: new Date(end).toISOString(), nodes: [], pods: [], services: [], routes: [], deployments: [], hpas: [], vpas: [], nodeGroups: null, clusterAutoscaler: null, events: [],
      series: { rps: { stepMs: 1000, endMs: end, values: [0] }, p99: { stepMs: 1000, endMs: end, values: [0] }, replicas: { stepMs: 1000, endMs: end, values: [3] }, nodes: { stepMs: 1000, endMs: end, values: [2] } },
    });
    assert.equal(hub.publish(snap(1000)), true);
    assert.equal(hub.publish(snap(2000)), false);
    assert.equal(calls, 1);
  });

  const cases = [
    { description: 'the page', path: '/', want: 200, type: /text\/html/ },
    { description: 'a module', path: '/app.js', want: 200, type: /javascript/ },
    { description: 'one-off snapshot', path: '/api/snapshot', want: 200, type: /application\/json/ },
    { description: 'unknown file', path: '/../server.ts', want: 404, type: /text\/plain/ },
    { description: 'writes refused', path: '/api/snapshot', method: 'POST', want: 405, type: /text\/plain/ },
    { description: 'foreign Host header refused (DNS rebinding)', path: '/', host: 'evil.example:80', want: 403, type: /text\/plain/ },
  ];
  for (const c of cases) {
    it(`serves ${c.description}`, async () => {
      const { port } = await setup();
      const res = await get(port, c.path, { ...(c.method ? { method: c.method } : {}), ...(c.host ? { host: c.host } : {}) });
      await body(res);
      assert.equal(res.statusCode, c.want);
      assert.match(String(res.headers['content-type']), c.type);
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    });
  }

  it('reports a taken port as EADDRINUSE', async () => {
    const { port } = await setup();
    const other = new DashboardServer({ hub: new SnapshotHub(), staticDir });
    await assert.rejects(other.listen(port, '127.0.0.1'), (e: NodeJS.ErrnoException) => e.code === 'EADDRINUSE');
  });
});

describe('collector with a fake node list', () => {
  it('tracks ready nodes in the series', async () => {
    const { clock, informers, hub } = await setup();
    informers.data.set('nodes', [makeNode({ name: 'n1' }), makeNode({ name: 'n2' })] as Node[]);
    await clock.advance(1000);
    const s = hub.current();
    assert.ok(s);
    assert.deepEqual(s.series.nodes.values.slice(-2), [1, 2]);
  });
});
