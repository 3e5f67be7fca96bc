/**
 * `skiff up --demo` (what `npm start` runs): applies examples/demo/ (objects that already exist
 * are left as they are, so a second start keeps the state), brings the demo node group to its
 * minimum, waits until the app answers through the ingress — saying what it waits for — and
 * prints where everything is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { isAlreadyExists, type KubeObject, type NodeGroup } from '../../api/index.js';
import { parseManifests } from '../manifests.js';
import type { UpContext } from './context.js';

const nodeGroupsTarget = { apiVersion: 'skiff.dev/v1alpha1', plural: 'nodegroups', namespaced: false } as const;

async function createMissing(ctx: UpContext, objects: readonly KubeObject[]): Promise<number> {
  let created = 0;
  for (const o of objects) {
    const r = await ctx.client.resourceFor(o.apiVersion, o.kind, { signal: ctx.signal });
    const obj = r.namespaced ? { ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? 'default' } } : o;
    try {
      await ctx.client.create(r, obj, { signal: ctx.signal, fieldManager: 'skiff-demo' });
      created++;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
  return created;
}

/** Brings each demo NodeGroup up to its minimum size through the provider (the cluster autoscaler only grows for pending pods). */
async function fillNodeGroups(ctx: UpContext, groups: readonly NodeGroup[]): Promise<void> {
  const ng = ctx.cloud?.nodeGroups;
  if (!ng) return;
  for (const g of groups) {
    const name = g.metadata.name ?? '';
    const info = await waitFor(ctx, async () => (await ng.list(ctx.signal)).find((x) => x.name === name), 10_000);
    if (!info) continue;
    const missing = g.spec.minSize - info.instances.length;
    if (missing > 0) {
      ctx.progress(`starting ${missing} node${missing === 1 ? '' : 's'} of node group ${name}…`);
      await ng.increase(name, missing, ctx.signal);
    }
  }
}

async function waitFor<T>(ctx: UpContext, fn: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T | undefined> {
  const deadline = ctx.clock.now() + timeoutMs;
  while (!ctx.signal.aborted && ctx.clock.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      // not yet
    }
    await ctx.clock.sleep(200, ctx.signal).catch(() => undefined);
  }
  return undefined;
}

function getStatus(port: number, host: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

export async function startDemo(ctx: UpContext): Promise<void> {
  if (!ctx.cfg.demo) return;
  try {
    await runDemo(ctx);
  } catch (e) {
    // Ctrl-C during start-up aborts the requests in flight: that is a clean stop, not an error.
    if (ctx.signal.aborted) return;
    throw e;
  }
}

async function runDemo(ctx: UpContext): Promise<void> {
  const dir = join(ctx.codeRoot, 'examples/demo');
  const manifests = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8'), join('examples/demo', f)).map((m) => m.object));
  const created = await createMissing(ctx, manifests);
  ctx.progress(created > 0 ? `applied examples/demo/ (${created} objects)` : 'examples/demo/ already applied: keeping the current state');
  await fillNodeGroups(ctx, manifests.filter((o): o is NodeGroup => o.kind === 'NodeGroup' && o.apiVersion === nodeGroupsTarget.apiVersion));
  ctx.progress('waiting for the nodes and the demo pods…');
  const port = ctx.ingress?.httpPort;
  if (port !== undefined) {
    const ok = await waitFor(ctx, async () => (await getStatus(port, 'demo.localhost')) === 200, 90_000);
    if (!ok && !ctx.signal.aborted) ctx.log.warn('the demo app does not answer through the ingress yet; see kubectl get pods');
  }
  if (ctx.signal.aborted) return;
  const ingress = port === undefined ? '(ingress not running)' : `http://demo.localhost:${port}/`;
  const lines = [
    '',
    'skiff demo is up',
    `  dashboard   ${ctx.dashboardUrl ?? '(dashboard not running)'}`,
    `  ingress     ${ingress}    curl -H 'Host: demo.localhost' http://127.0.0.1:${port ?? 8080}/`,
    `  kubectl     export KUBECONFIG=${ctx.kubeconfig}`,
    `  load test   npx skiff load http://127.0.0.1:${port ?? 8080}/ --host demo.localhost --ramp 10s:50,60s:600,60s:0`,
    '  watch       kubectl get hpa,pods,nodes -w    |    npx skiff status    |    npx skiff explain hpa echo',
    '',
  ];
  for (const l of lines) ctx.progress(l);
}
