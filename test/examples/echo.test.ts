import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const serverFile = fileURLToPath(new URL('../../examples/apps/echo/server.ts', import.meta.url));

interface Running { proc: ChildProcess; base: string; exited: Promise<number | string>; output: () => string }

async function startEcho(env: Record<string, string> = {}): Promise<Running> {
  const proc = spawn(process.execPath, ['--import', 'tsx', serverFile], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', POD_NAME: 'echo-test-pod', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`echo did not start:\n${out}`)), 30_000);
    const check = (): void => {
      const m = /"msg":"listening".*"port":(\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`echo exited (${code}):\n${out}`));
    });
  });
  return { proc, base: `http://127.0.0.1:${port}`, exited, output: () => out };
}

/** utime + stime of a process in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function counterValue(metrics: string, labels: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`http_requests_total{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

let echo: Running;
before(async () => {
  echo = await startEcho({ NODE_NAME: 'node-1' });
});
after(async () => {
  if (echo.proc.exitCode === null) echo.proc.kill('SIGKILL');
  await echo.exited;
});

test('answers with pod, host, path, method, headers and node', async () => {
  const cases = [
    { description: 'GET a path', method: 'GET', path: '/hello/world?x=1', want: { path: '/hello/world', method: 'GET' } },
    { description: 'POST root', method: 'POST', path: '/', want: { path: '/', method: 'POST' } },
  ];
  for (const c of cases) {
    const res = await fetch(echo.base + c.path, { method: c.method, headers: { 'x-test': 'yes' } });
    assert.equal(res.status, 200, c.description);
    const body = await res.json() as Record<string, unknown>;
    assert.equal(body.pod, 'echo-test-pod', c.description);
    assert.equal(body.node, 'node-1', c.description);
    assert.equal(body.host, echo.base.slice('http://'.length), c.description);
    assert.equal(body.path, c.want.path, c.description);
    assert.equal(body.method, c.want.method, c.description);
    assert.equal((body.headers as Record<string, string>)['x-test'], 'yes', c.description);
  }
});

test('size pads the body to N bytes', async () => {
  const res = await fetch(`${echo.base}/big?size=5000`);
  assert.equal((await res.text()).length, 5000);
});

test('sleep_ms delays the answer', async () => {
  const started = process.hrtime.bigint();
  const res = await fetch(`${echo.base}/slow?sleep_ms=200`);
  await res.text();
  assert.ok(process.hrtime.bigint() - started >= 190_000_000n, 'took at least the requested latency');
});

test('/metrics counts requests by method, path and code and has process metrics', async () => {
  const labels = 'method="GET",path="/counted",code="200"';
  const before = counterValue(await (await fetch(`${echo.base}/metrics`)).text(), labels);
  for (let i = 0; i < 3; i++) await (await fetch(`${echo.base}/counted`)).text();
  const metrics = await (await fetch(`${echo.base}/metrics`)).text();
  assert.equal(counterValue(metrics, labels), before + 3);
  assert.match(metrics, /^http_request_duration_seconds_bucket\{.*path="\/counted".*\} \d+$/m);
  assert.match(metrics, /^process_cpu_user_seconds_total /m);
});

test('readiness toggles through /admin/ready; liveness stays up', async () => {
  assert.equal((await fetch(`${echo.base}/readyz`)).status, 200);
  assert.equal((await fetch(`${echo.base}/admin/ready?value=false`, { method: 'POST' })).status, 200);
  assert.equal((await fetch(`${echo.base}/readyz`)).status, 503);
  assert.equal((await fetch(`${echo.base}/healthz`)).status, 200);
  assert.equal((await fetch(`${echo.base}/admin/ready?value=true`, { method: 'POST' })).status, 200);
  assert.equal((await fetch(`${echo.base}/readyz`)).status, 200);
});

test('cpu_ms (query or header) burns CPU in the server process', async () => {
  const pid = echo.proc.pid;
  assert.ok(pid !== undefined);
  const cases: { description: string; url: string; headers: Record<string, string> }[] = [
    { description: 'query parameter', url: `${echo.base}/burn?cpu_ms=400`, headers: {} },
    { description: 'X-Burn-CPU-Ms header', url: `${echo.base}/burn`, headers: { 'X-Burn-CPU-Ms': '400' } },
  ];
  for (const c of cases) {
    const t0 = cpuTicks(pid);
    await (await fetch(c.url, { headers: c.headers })).text();
    // Clock ticks are 1/100 s on Linux; 400 ms of CPU is ~40 ticks — assert a loose lower bound only.
    assert.ok(cpuTicks(pid) - t0 >= 20, `${c.description}: CPU time grew by at least ~200 ms`);
  }
});

test('/admin/exit exits with the given code', async () => {
  const e = await startEcho();
  const res = await fetch(`${e.base}/admin/exit?code=3`, { method: 'POST' });
  assert.equal(res.status, 200);
  assert.equal(await e.exited, 3);
});

test('SIGTERM finishes in-flight requests and exits 0', async () => {
  const e = await startEcho();
  const inflight = fetch(`${e.base}/slow?sleep_ms=500`).then(async (r) => ({ status: r.status, body: await r.json() as Record<string, unknown> }));
  await new Promise((r) => setTimeout(r, 150));
  e.proc.kill('SIGTERM');
  const answered = await inflight;
  assert.equal(answered.status, 200);
  assert.equal(answered.body.path, '/slow');
  assert.equal(await e.exited, 0);
  await assert.rejects(fetch(`${e.base}/`), 'no longer accepting');
});

test('examples/echo.yaml: Deployment and NodePort Service as documented', () => {
  const docs = parseAllDocuments(readFileSync(new URL('../../examples/echo.yaml', import.meta.url), 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
  const kinds = docs.map((d) => d.kind);
  assert.deepEqual(kinds, ['Deployment', 'Service']);
  const text = JSON.stringify(docs);
  for (const want of ['"replicas":3', '"image":"skiff/echo"', '"containerPort":8080', '"cpu":"100m"', '"memory":"64Mi"', '"path":"/readyz"',
    '"fieldPath":"metadata.name"', '"type":"NodePort"', '"port":80', '"targetPort":"http"']) {
    assert.ok(text.includes(want), want);
  }
});
