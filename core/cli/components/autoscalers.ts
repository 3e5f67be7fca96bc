/**
 * The autoscalers inside `skiff up`: HPA (resource metrics from metrics.k8s.io, pod metrics
 * scraped from pods' /metrics, External/Object metrics from Prometheus when configured) and
 * VPA (recommender and updater).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  AutoscalerMetrics, PodsMetricsSource, PrometheusMetricsSource, ResourceMetricsSource, startClusterAutoscaler, startHpaController, startVpa,
  type MetricsSources, type PrometheusRule,
} from '../../../autoscaler/index.js';
import { UsageError } from '../args.js';
import type { UpContext } from './context.js';

interface AdapterConfig {
  rules?: PrometheusRule[];
  externalRules?: PrometheusRule[];
}

/** prometheus-adapter style rules from a YAML file (`rules:` and `externalRules:`). */
function loadAdapterConfig(path: string): AdapterConfig {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read --adapter-config ${path}: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null) throw new UsageError(`--adapter-config ${path} must be a YAML map with rules: and/or externalRules:`);
  const c = doc as AdapterConfig;
  if (c.rules !== undefined && !Array.isArray(c.rules)) throw new UsageError(`--adapter-config: rules must be a list`);
  if (c.externalRules !== undefined && !Array.isArray(c.externalRules)) throw new UsageError(`--adapter-config: externalRules must be a list`);
  return c;
}

/**
 * The window of the Pods metrics' counter rates: four HPA sync periods, between 10 s and
 * prometheus-adapter's 1 m (the default 15 s sync period keeps 1 m). A 1 m window under a 2 s sync
 * period would make the request rate lag load changes by most of a minute, holding replicas up
 * long after load stops.
 */
export function podRateWindowMs(syncPeriodMs: number): number {
  return Math.min(60_000, Math.max(10_000, 4 * syncPeriodMs));
}

/**
 * How long the cluster autoscaler waits after a scale-up before considering scale-down. The demo
 * gives up on idle nodes quickly (30 s), so a load test shows nodes come and go within minutes;
 * otherwise it is the cluster autoscaler's 10 m, but never longer than `--scale-down-unneeded-time`:
 * asking for a 10 s unneeded time should not leave a hidden 10 m cooldown after every scale-up.
 */
export function scaleDownDelayAfterAddMs(cfg: { demo: boolean; scaleDownUnneededTimeMs: number }): number {
  if (cfg.demo) return 30_000;
  return Math.min(600_000, cfg.scaleDownUnneededTimeMs);
}

export async function startAutoscalers(ctx: UpContext): Promise<void> {
  const { cfg, client, informers, clock, signal } = ctx;
  const log = ctx.log.child({ component: 'autoscaler' });
  const metrics = new AutoscalerMetrics(ctx.metrics);
  const resource = new ResourceMetricsSource({ client });
  const pods = new PodsMetricsSource({ informers, clock, log: log.child({ source: 'pods' }), intervalMs: 1000, rateWindowMs: podRateWindowMs(cfg.syncPeriodMs) });
  void pods.run(signal);
  const sources: MetricsSources = { resource, pods };
  if (cfg.prometheusUrl) {
    const adapter = cfg.adapterConfig ? loadAdapterConfig(cfg.adapterConfig) : {};
    sources.external = new PrometheusMetricsSource({
      url: cfg.prometheusUrl,
      rules: adapter.rules ?? [],
      ...(adapter.externalRules ? { externalRules: adapter.externalRules } : {}),
    });
  }
  startHpaController({ client, informers, recorder: ctx.recorder('horizontal-pod-autoscaler'), clock, log, signal, sources, syncPeriodMs: cfg.syncPeriodMs, metrics });
  if (ctx.cloud?.nodeGroups) {
    startClusterAutoscaler({
      client, informers, recorder: ctx.recorder('cluster-autoscaler'), provider: ctx.cloud, clock, log: log.child({ controller: 'cluster-autoscaler' }), signal,
      options: {
        scanIntervalMs: cfg.scanIntervalMs,
        scaleDownUnneededTimeMs: cfg.scaleDownUnneededTimeMs,
        expander: cfg.expander,
        scaleDownDelayAfterAddMs: scaleDownDelayAfterAddMs(cfg),
      },
    });
  }
  startVpa({ client, informers, recorder: ctx.recorder('vpa-updater'), clock, log, signal, resource, metrics, recommenderIntervalMs: cfg.demo ? 5000 : 10_000 });
}
