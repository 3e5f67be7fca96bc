/**
 * Prometheus metrics of the proxy, named as ingress-nginx's, on a caller-supplied registry.
 *
 * The per-request series are not kept in prom-client's label hash maps: hashing seven labels four times per
 * request cost about as much as proxying the request (≈ 20 µs). A request instead lands in a plain series
 * record found by one string key (the route's labels are joined once per route), and the metrics read those
 * records only when scraped.
 */
import { Counter, Gauge, Histogram, type MetricObjectWithValues, type MetricType, type MetricValue, type MetricValueWithName, type Registry } from 'prom-client';

const LABELS = ['status', 'method', 'host', 'path', 'namespace', 'ingress', 'service'] as const;
type Label = (typeof LABELS)[number];
export type RequestLabels = Record<Label, string>;
type UpstreamLabel = Exclude<Label, 'status' | 'method'>;

/** What the metrics need of a route: its rule's labels. Routes are long-lived objects, so their key is cached. */
export interface RouteLabelSource {
  readonly host: string;
  readonly path: string;
  readonly ingress: { readonly namespace: string; readonly name: string };
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SIZE_BUCKETS = [100, 1000, 10_000, 100_000, 1_000_000, 10_000_000];
const UPSTREAM_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Non-cumulative bucket counts (the last slot is +Inf), sum and count of one histogram series. */
class Buckets {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(v: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > (b[i] ?? Infinity)) i++;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.sum += v;
    this.count++;
  }
}

interface RequestSeries {
  readonly labels: RequestLabels;
  requests: number;
  readonly duration: Buckets;
  readonly size: Buckets;
}

interface UpstreamSeries {
  readonly labels: Record<UpstreamLabel, string>;
  readonly latency: Buckets;
}

interface SeriesOptions<L extends string> { name: string; help: string; labelNames: readonly L[]; registers: Registry[] }

/** What prom-client's registry reads from a metric. Its typings say `type` is a numeric enum; at run time it is the text. */
function exposition<V extends MetricValue<string>>(o: SeriesOptions<string>, type: 'counter' | 'histogram', values: V[]): MetricObjectWithValues<V> {
  return { name: o.name, help: o.help, type: type as unknown as MetricType, aggregator: 'sum', values, collect: () => undefined };
}

interface LastUsed {
  readonly epoch: number;
  readonly status: number;
  readonly method: string;
  readonly service: string;
  readonly series: RequestSeries;
  upstream: UpstreamSeries | undefined;
}

/** prom-client's histogram exposition for series kept elsewhere. */
class SeriesHistogram<L extends string> extends Histogram<L> {
  constructor(private readonly o: SeriesOptions<L>, private readonly series: () => Iterable<{ labels: Record<L, string>; b: Buckets }>) {
    super({ ...o, labelNames: [...o.labelNames] });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<L>>> {
    const values: MetricValueWithName<L>[] = [];
    const name = this.o.name;
    for (const { labels, b } of this.series()) {
      let acc = 0;
      for (let i = 0; i <= b.bounds.length; i++) {
        acc += b.counts[i] ?? 0;
        const le = i < b.bounds.length ? b.bounds[i] ?? 0 : '+Inf';
        values.push({ labels: { ...labels, le } as MetricValueWithName<L>['labels'], value: acc, metricName: `${name}_bucket` });
      }
      values.push({ labels, value: b.sum, metricName: `${name}_sum` }, { labels, value: b.count, metricName: `${name}_count` });
    }
    return exposition(this.o, 'histogram', values);
  }

  /** prom-client's text exposition prefers this method when a metric has it. */
  getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<L>>> {
    return this.get();
  }
}

/** prom-client's counter exposition for series kept elsewhere. */
class SeriesCounter<L extends string> extends Counter<L> {
  constructor(private readonly o: SeriesOptions<L>, private readonly series: () => Iterable<{ labels: Record<L, string>; n: number }>) {
    super({ ...o, labelNames: [...o.labelNames] });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<L>>> {
    const values: MetricValue<L>[] = [];
    for (const { labels, n } of this.series()) values.push({ labels, value: n });
    return exposition(this.o, 'counter', values);
  }
}

export class ProxyMetrics {
  readonly reloadOk: Gauge;
  readonly reloadTimestamp: Gauge;
  readonly generation: Gauge;
  readonly #requests = new Map<string, RequestSeries>();
  readonly #upstream = new Map<string, UpstreamSeries>();
  readonly #routeKeys = new WeakMap<RouteLabelSource, string>();
  /** The series each route used last: steady traffic on a route finds its series without building a key. */
  readonly #last = new WeakMap<RouteLabelSource, LastUsed>();
  /** Bumped by retain(), which may drop series a LastUsed still points at. */
  #epoch = 0;

  constructor(registry: Registry) {
    const registers = [registry];
    const requests = (): IterableIterator<RequestSeries> => this.#requests.values();
    new SeriesCounter({ name: 'nginx_ingress_controller_requests', help: 'Requests served, by rule', labelNames: LABELS, registers },
      function* () { for (const s of requests()) yield { labels: s.labels, n: s.requests }; });
    new SeriesHistogram({ name: 'nginx_ingress_controller_request_duration_seconds', help: 'Request processing time', labelNames: LABELS, registers },
      function* () { for (const s of requests()) yield { labels: s.labels, b: s.duration }; });
    new SeriesHistogram({ name: 'nginx_ingress_controller_response_size', help: 'Response body bytes', labelNames: LABELS, registers },
      function* () { for (const s of requests()) yield { labels: s.labels, b: s.size }; });
    const upstream = (): IterableIterator<UpstreamSeries> => this.#upstream.values();
    new SeriesHistogram({ name: 'nginx_ingress_controller_upstream_latency_seconds', help: 'Time to the upstream response headers',
      labelNames: ['host', 'path', 'namespace', 'ingress', 'service'] as const, registers },
    function* () { for (const s of upstream()) yield { labels: s.labels, b: s.latency }; });
    // Across `--ingress-workers`, the gauges are not summed: 0 if any worker's last build failed, the latest swap, the newest table.
    this.reloadOk = new Gauge({ name: 'nginx_ingress_controller_config_last_reload_successful', help: 'Whether the last table build succeeded', registers, aggregator: 'min' });
    this.reloadTimestamp = new Gauge({
      name: 'nginx_ingress_controller_config_last_reload_successful_timestamp_seconds', help: 'Time of the last successful table swap', registers, aggregator: 'max',
    });
    this.generation = new Gauge({ name: 'skiff_ingress_controller_config_generation', help: 'Route table generation', registers, aggregator: 'max' });
  }

  /** Counts one request served on `route` (`upstreamSeconds` undefined when no upstream answered). */
  record(route: RouteLabelSource, status: number, method: string, service: string, seconds: number, bytes: number, upstreamSeconds: number | undefined): void {
    let last = this.#last.get(route);
    if (last === undefined || last.epoch !== this.#epoch || last.status !== status || last.method !== method || last.service !== service) {
      last = { epoch: this.#epoch, status, method, service, series: this.#requestSeries(route, status, method, service), upstream: undefined };
      this.#last.set(route, last);
    }
    const s = last.series;
    s.requests++;
    s.duration.observe(seconds);
    s.size.observe(bytes);
    if (upstreamSeconds === undefined) return;
    last.upstream ??= this.#upstreamSeries(route, service);
    last.upstream.latency.observe(upstreamSeconds);
  }

  #requestSeries(route: RouteLabelSource, status: number, method: string, service: string): RequestSeries {
    const key = `${this.#routeKey(route)}\0${service}\0${status}\0${method}`;
    let s = this.#requests.get(key);
    if (s === undefined) {
      s = {
        labels: { status: String(status), method, host: route.host, path: route.path, namespace: route.ingress.namespace, ingress: route.ingress.name, service },
        requests: 0, duration: new Buckets(DURATION_BUCKETS), size: new Buckets(SIZE_BUCKETS),
      };
      this.#requests.set(key, s);
    }
    return s;
  }

  #upstreamSeries(route: RouteLabelSource, service: string): UpstreamSeries {
    const key = `${this.#routeKey(route)}\0${service}`;
    let u = this.#upstream.get(key);
    if (u === undefined) {
      u = { labels: { host: route.host, path: route.path, namespace: route.ingress.namespace, ingress: route.ingress.name, service }, latency: new Buckets(UPSTREAM_BUCKETS) };
      this.#upstream.set(key, u);
    }
    return u;
  }

  /**
   * Drops the request series of Ingresses that are gone (`live` holds `namespace/name`), as ingress-nginx removes
   * the metrics of deleted Ingresses, so churn does not grow the series without bound.
   */
  retain(live: ReadonlySet<string>): void {
    this.#epoch++;
    for (const map of [this.#requests, this.#upstream]) {
      for (const [k, s] of map) if (!live.has(`${s.labels.namespace}/${s.labels.ingress}`)) map.delete(k);
    }
  }

  #routeKey(route: RouteLabelSource): string {
    let k = this.#routeKeys.get(route);
    if (k === undefined) {
      k = `${route.host}\0${route.path}\0${route.ingress.namespace}\0${route.ingress.name}`;
      this.#routeKeys.set(route, k);
    }
    return k;
  }
}
