/**
 * Acceptance: `skiff up --dashboard-port 0` serves the dashboard; headless Chromium (Debian's, through
 * playwright-core) loads it without console errors, sees nodes, pods, routes and an HPA, and the
 * ready-replicas chart follows `kubectl scale`. Also `skiff status` and `skiff explain hpa` output.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually, kubectlFor, repoRoot, skiffCliFor, startSkiff, type RunningSkiff } from '../support/skiff.js';

const chromiumPath = '/usr/bin/chromium';

/** GET through the ingress with a Host header (fetch does not let a caller set Host); resolves with the status. */
function viaIngress(base: string, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet(`${base}${path}`, { headers: { Host: host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}
const artifacts = join(repoRoot, 'test/artifacts');

const extras = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: echo
spec:
  rules:
    - host: echo.test
      http:
        paths:
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: echo
                port:
                  number: 80
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: echo
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: echo
  minReplicas: 1
  maxReplicas: 6
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 50
---
apiVersion: v1
kind: Event
metadata:
  name: echo.markup
involvedObject:
  apiVersion: apps/v1
  kind: Deployment
  name: echo
  namespace: default
reason: Markup
message: '<img src=x id=injected> must show as text'
type: Normal
lastTimestamp: '2099-01-01T00:00:00Z' # newest of all, so it stays in the recent-events table
`;

describe('dashboard in a browser', { skip: existsSync(chromiumPath) ? false : `${chromiumPath} is not installed` }, () => {
  let skiff: RunningSkiff;
  let kubectl: ReturnType<typeof kubectlFor>;
  let cli: ReturnType<typeof skiffCliFor>;
  let browser: Browser;
  let page: Page;
  let dashboardUrl: string;
  const consoleErrors: string[] = [];

  before(async () => {
    skiff = await startSkiff({ args: ['--nodes', '2', '--dashboard-port', '0'], timeoutMs: 60_000 });
    const m = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(skiff.output());
    assert.ok(m?.[1], `no dashboard URL in:\n${skiff.output()}`);
    dashboardUrl = m[1];
    kubectl = kubectlFor(skiff);
    cli = skiffCliFor(skiff);
    for (const input of [undefined, extras]) {
      const r = await kubectl(input ? ['apply', '-f', '-'] : ['apply', '-f', join(repoRoot, 'examples/echo.yaml')], input ? { input } : {});
      assert.equal(r.code, 0, r.stderr);
    }
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await skiff?.stop();
  });

  const lastValue = async (chart: string): Promise<number> => Number(await page.locator(`#chart-${chart} svg`).getAttribute('data-last'));

  it('shows nodes, pods, routes and the HPA, live, without console errors', { timeout: 120_000 }, async () => {
    await page.goto(dashboardUrl);
    await page.locator('#conn', { hasText: 'live' }).waitFor({ timeout: 15_000 });
    for (const node of ['node-1', 'node-2']) await page.locator('#nodes td', { hasText: node }).first().waitFor({ timeout: 15_000 });
    await page.locator('#routes td', { hasText: 'echo.test' }).waitFor({ timeout: 15_000 });
    assert.match(await page.locator('#routes').innerText(), /echo\.test\s+\/api\s+Prefix\s+echo:80\s+default\/echo/);
    await page.locator('#hpas td', { hasText: 'Deployment/echo' }).waitFor({ timeout: 15_000 });
    await page.locator('#pods td', { hasText: 'Running' }).first().waitFor({ timeout: 30_000 });
    // Data is text, never markup.
    await page.locator('#events td', { hasText: '<img src=x id=injected>' }).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('#injected').count(), 0);
    assert.deepEqual(consoleErrors, []);
  });

  it('the ready-replicas chart follows kubectl scale', { timeout: 120_000 }, async () => {
    await eventually(async () => (await lastValue('replicas')) === 3, { timeoutMs: 60_000, what: 'three ready replicas on the chart' });
    // Down to 1: what the HPA (idle pods, min 1) wants as well, so it does not fight the change.
    const r = await kubectl(['scale', 'deployment/echo', '--replicas=1']);
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => (await lastValue('replicas')) === 1, { timeoutMs: 60_000, what: 'one ready replica on the chart' });
    assert.ok(Number(await page.locator('#chart-replicas svg').getAttribute('data-points')) >= 2);
    assert.equal(await page.locator('#chart-replicas path.line').count(), 1);
    await page.locator('#hpas td', { hasText: /→/ }).first().waitFor();
    // Requests through the in-process ingress show on the requests/s and p99 series.
    const ingress = /ingress: (http:\/\/127\.0\.0\.1:\d+)\//.exec(skiff.output())?.[1];
    assert.ok(ingress, `no ingress URL in:\n${skiff.output()}`);
    await eventually(async () => (await viaIngress(ingress, '/api/x', 'echo.test')) === 200, { timeoutMs: 30_000, what: 'the route through the ingress' });
    for (let i = 0; i < 40; i++) assert.equal(await viaIngress(ingress, `/api/${i}`, 'echo.test'), 200);
    await eventually(async () => {
      const snap = (await (await fetch(`${dashboardUrl}api/snapshot`)).json()) as { series: Record<string, { values: number[] }> };
      return Math.max(0, ...(snap.series.rps?.values ?? [])) > 0 && Math.max(0, ...(snap.series.p99?.values ?? [])) > 0;
    }, { timeoutMs: 10_000, what: 'requests/s and p99 above zero' });
    await page.locator('#chart-rps path.line').waitFor();
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
    assert.deepEqual(consoleErrors, []);
  });

  it('skiff status summarises the cluster', { timeout: 60_000 }, async () => {
    const r = await cli(['status']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Nodes: 2\/2 ready; cpu requested /m);
    assert.match(r.stdout, /node-1\s+Ready/);
    assert.match(r.stdout, /^Pods: \d+ \(.*Running \d/m);
    assert.match(r.stdout, /default\/echo\s+\d\/1/);
    assert.match(r.stdout, /default\/echo\s+NodePort\s+80:\d+\/TCP/);
    assert.match(r.stdout, /echo\.test\/api\s+Prefix\s+→ echo:80\s+\(default\/echo\)/);
    assert.match(r.stdout, /default\/echo\s+Deployment\/echo\s+\d\/\d \(min 1, max 6\)\s+cpu /);
    assert.match(r.stdout, /^Cluster autoscaler: /m);
  });

  it('skiff explain hpa shows spec, metrics, conditions, the last decision and events; a missing HPA fails', { timeout: 60_000 }, async () => {
    const out = await eventually(async () => {
      const r = await cli(['explain', 'hpa', 'echo', '-n', 'default']);
      assert.equal(r.code, 0, r.stderr);
      return /Last decision:\n {2}\d{4}-/.test(r.stdout) && r.stdout;
    }, { timeoutMs: 40_000, what: 'an HPA decision' });
    assert.match(out, /^Scale target: +Deployment\/echo$/m);
    assert.match(out, /^Replicas: +\d current \/ \d desired \(min 1, max 6\)$/m);
    assert.match(out, /^ {2}cpu: .* \/ 50%$/m);
    assert.match(out, /^ {2}TYPE\s+STATUS\s+REASON\s+MESSAGE$/m);
    assert.match(out, /AbleToScale\s+True/);
    assert.match(out, /^Events:$/m);
    const missing = await cli(['explain', 'hpa', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /horizontalpodautoscaler "nope" not found in namespace "default"/);
    const nodes = await cli(['explain', 'nodes']);
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.match(nodes.stdout, /Cluster-autoscaler status at/);
    assert.match(nodes.stdout, /node-2\s+Ready/);
  });

  it('a taken --dashboard-port fails skiff up with one line naming the port and the flag', { timeout: 60_000 }, async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      await assert.rejects(startSkiff({ args: ['--nodes', '0', '--dashboard-port', String(port)], timeoutMs: 30_000 }),
        (e: Error) => e.message.includes(`error: port ${port} for the dashboard is already in use; choose another with --dashboard-port PORT`));
    } finally {
      blocker.close();
    }
  });
});
