/**
 * The external/object source: resolves External and Object metrics through prometheus-adapter style
 * rules and runs the rendered PromQL against a Prometheus server's HTTP API (`/api/v1/query`).
 */
import type { CrossVersionObjectReference, MetricIdentifier } from '../../core/api/index.js';
import { MetricsError, messageOf } from './errors.js';
import { parseFloatValue } from './exposition.js';
import { labelForResource, literalSeriesName, metricNameFor, renderQuery, selectorMatchers } from './rules.js';
import type { PrometheusRule } from './rules.js';

export interface PrometheusSourceOptions {
  /** Base URL of the Prometheus server, e.g. `http://127.0.0.1:9090`. */
  url: string;
  /** Rules for Object metrics (and External ones when `externalRules` is absent). */
  rules: readonly PrometheusRule[];
  externalRules?: readonly PrometheusRule[];
  /** Per-request timeout; default 5000 ms. */
  timeoutMs?: number;
}

interface ApiResponse<T> { status?: string; error?: string; errorType?: string; data?: T }
type QueryData = { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'scalar'; result: [number, string] }
  | { resultType: string; result: unknown };

/** One value returned by a query, with the series labels. */
export interface QueryValue {
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

export class PrometheusMetricsSource {
  constructor(private readonly o: PrometheusSourceOptions) {}

  /** Runs an instant query; rejects with `MetricsError` on transport or query errors. */
  async query(promql: string, signal?: AbortSignal): Promise<QueryValue[]> {
    const data = await this.api<QueryData>(`/api/v1/query?query=${encodeURIComponent(promql)}`, signal);
    if (data.resultType === 'scalar') {
      const [ts, v] = data.result as [number, string];
      return [{ labels: {}, value: parseFloatValue(v) ?? NaN, timestamp: ts * 1000 }];
    }
    if (data.resultType !== 'vector' || !Array.isArray(data.result)) {
      throw new MetricsError('BadResponse', `unsupported query result type ${data.resultType}`);
    }
    return (data.result as { metric: Record<string, string>; value: [number, string] }[])
      .map((r) => ({ labels: r.metric, value: parseFloatValue(r.value[1]) ?? NaN, timestamp: r.value[0] * 1000 }));
  }

  /** Values of an External metric in `namespace`, one per returned series (plain units). */
  async external(namespace: string, metric: MetricIdentifier, signal?: AbortSignal): Promise<number[]> {
    const { rule, series } = await this.resolve(this.o.externalRules ?? this.o.rules, metric.name, signal);
    const matchers = selectorMatchers(metric.selector);
    const nsLabel = labelForResource(rule, 'namespace');
    if (nsLabel && rule.namespaced !== false) matchers.unshift(`${nsLabel}=${JSON.stringify(namespace)}`);
    const values = await this.query(renderQuery(rule.metricsQuery, { series, labelMatchers: matchers, groupBy: [] }), signal);
    if (values.length === 0) throw new MetricsError('NotFound', `no matching metrics found for ${metric.name}`);
    return values.map((v) => v.value);
  }

  /** The value of an Object metric describing `ref` in `namespace` (plain units). */
  async object(namespace: string, ref: CrossVersionObjectReference, metric: MetricIdentifier, signal?: AbortSignal): Promise<number> {
    const { rule, series } = await this.resolve(this.o.rules, metric.name, signal);
    const objLabel = labelForResource(rule, ref.kind);
    if (!objLabel) throw new MetricsError('NoRule', `rule for ${metric.name} maps no label to resource ${ref.kind}`);
    const nsLabel = labelForResource(rule, 'namespace');
    const matchers = [
      ...(nsLabel ? [`${nsLabel}=${JSON.stringify(namespace)}`] : []),
      `${objLabel}=${JSON.stringify(ref.name)}`,
      ...selectorMatchers(metric.selector),
    ];
    const values = await this.query(renderQuery(rule.metricsQuery, { series, labelMatchers: matchers, groupBy: [objLabel] }), signal);
    const mine = values.filter((v) => v.labels[objLabel] === undefined || v.labels[objLabel] === ref.name);
    if (mine.length === 0) throw new MetricsError('NotFound', `no metric ${metric.name} for ${ref.kind} ${namespace}/${ref.name}`);
    return mine.reduce((a, v) => a + v.value, 0);
  }

  /** The first rule (in order) one of whose series is named `metric`, and that series. */
  private async resolve(rules: readonly PrometheusRule[], metric: string, signal?: AbortSignal): Promise<{ rule: PrometheusRule; series: string }> {
    for (const rule of rules) {
      for (const series of await this.seriesNames(rule, signal)) {
        if (metricNameFor(rule, series) === metric) return { rule, series };
      }
    }
    throw new MetricsError('NoRule', `no rule provides metric ${metric}`);
  }

  /** A rule's series names: the literal name in its query, else discovered through `/api/v1/series`. */
  private async seriesNames(rule: PrometheusRule, signal?: AbortSignal): Promise<string[]> {
    const literal = literalSeriesName(rule.seriesQuery);
    if (literal) return [literal];
    const data = await this.api<Record<string, string>[]>(`/api/v1/series?match[]=${encodeURIComponent(rule.seriesQuery)}`, signal);
    return [...new Set((Array.isArray(data) ? data : []).map((s) => s.__name__ ?? '').filter((n) => n !== ''))];
  }

  private async api<T>(path: string, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.o.timeoutMs ?? 5000);
    let body: ApiResponse<T>;
    try {
      const res = await fetch(new URL(path, this.o.url), { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      body = (await res.json()) as ApiResponse<T>;
    } catch (e) {
      throw new MetricsError('Unavailable', `prometheus at ${this.o.url} unavailable: ${messageOf(e)}`, { cause: e });
    }
    if (body.status !== 'success' || body.data === undefined) {
      throw new MetricsError('BadResponse', `prometheus query failed: ${body.errorType ?? 'error'}: ${body.error ?? 'no data'}`);
    }
    return body.data;
  }
}
