/** The ingress controller inside `skiff up`: the proxy on --ingress-http-port/--ingress-https-port, metrics on /metrics. */
import { startIngress } from '../../../ingress/index.js';
import { UsageError } from '../args.js';
import type { UpContext } from './context.js';

export async function startIngressComponent(ctx: UpContext): Promise<void> {
  const { cfg } = ctx;
  try {
    const ing = await startIngress({
      client: ctx.client, informers: ctx.informers, recorder: ctx.recorder('ingress-controller'), clock: ctx.clock, log: ctx.log, signal: ctx.signal,
      httpPort: cfg.ingressHttpPort, httpsPort: cfg.ingressHttpsPort, address: cfg.address, metricsRegistry: ctx.metrics, ensureDefaultClass: true,
    });
    ctx.onShutdown(() => ing.close());
    ctx.ingress = { httpPort: ing.httpPort, httpsPort: ing.httpsPort };
    ctx.progress(`ingress: http://${cfg.address}:${ing.httpPort}/ (https on ${ing.httpsPort})`);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { port?: number };
    if (err.code === 'EADDRINUSE') {
      const port = err.port ?? cfg.ingressHttpPort;
      const flag = port === cfg.ingressHttpsPort ? '--ingress-https-port' : '--ingress-http-port';
      throw new UsageError(`port ${port} for the ingress is already in use; choose another with ${flag} PORT (or stop what is using it)`);
    }
    throw e;
  }
}
