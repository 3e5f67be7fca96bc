/** The dashboard inside `skiff up`: a read-only web view on loopback at --dashboard-port. */
import { Collector, DashboardServer, SnapshotHub, staticDir } from '../../../dashboard/index.js';
import { UsageError } from '../args.js';
import type { UpContext } from './context.js';

/** The loopback address the dashboard binds: it is never exposed beyond this machine. */
function loopback(address: string): string {
  return address === '::1' || address === 'localhost' ? address : '127.0.0.1';
}

export async function startDashboard(ctx: UpContext): Promise<void> {
  const { cfg, signal } = ctx;
  const log = ctx.log.child({ component: 'dashboard' });
  const hub = new SnapshotHub();
  const server = new DashboardServer({ hub, staticDir });
  const host = loopback(cfg.address);
  let port: number;
  try {
    port = await server.listen(cfg.dashboardPort, host);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${cfg.dashboardPort} for the dashboard is already in use; choose another with --dashboard-port PORT (0 picks a free one)`);
    }
    throw e;
  }
  ctx.onShutdown(() => server.close());
  const collector = new Collector({ client: ctx.client, informers: ctx.informers, metrics: ctx.metrics, hub, clock: ctx.clock, log });
  void collector.run(signal).catch((e: unknown) => log.error('dashboard collector stopped', { error: (e as Error).message }));
  const shown = host.includes(':') ? `[${host}]` : host;
  ctx.dashboardUrl = `http://${shown}:${port}/`;
  ctx.progress(`dashboard: ${ctx.dashboardUrl}`);
}
