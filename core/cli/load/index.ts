/**
 * `skiff load URL`: drives HTTP load (autocannon) through a steady rate or a staged ramp and
 * prints one line per second — requests/s, p50/p99 latency, errors, and, when a kubeconfig
 * answers, the cluster's replicas, pending pods and ready nodes — then a summary.
 */
import autocannon from 'autocannon';
import { parse, UsageError } from '../args.js';
import { ClusterWatch, type ClusterView } from './cluster.js';
import { percentile, profileOf, ProfileError, type Stage } from './profile.js';

export const loadUsage = `Usage: skiff load URL [flags]

Flags:
  --connections N   concurrent connections (default 10)
  --duration D      how long to run at --rate (default 10s)
  --rate R          requests per second across all connections (default: as fast as possible)
  --ramp PROFILE    staged load instead of --rate/--duration, e.g. 10s:50,30s:400,20s:0
  --host NAME       Host header to send (e.g. demo.localhost when URL is http://127.0.0.1:8080/)
  --namespace NS    namespace whose replicas and pending pods to show (default: all)
  --kubeconfig FILE cluster to show (default $KUBECONFIG, else ./.skiff/kubeconfig; none → load only)`;

interface Second { n: number; errors: number; lat: number[] }

function row(cols: (string | number)[]): string {
  const widths = [6, 7, 8, 8, 7, 10, 8, 6];
  return cols.map((c, i) => String(c).padStart(widths[i] ?? 8)).join(' ');
}

function clusterCols(v: ClusterView | undefined): string[] {
  return v ? [`${v.ready}/${v.replicas}`, String(v.pending), String(v.nodes)] : ['-', '-', '-'];
}

async function runStage(url: string, stage: Stage, connections: number, host: string | undefined, onResponse: (status: number, ms: number) => void, onError: () => void, signal: AbortSignal): Promise<void> {
  if (stage.rate === 0) {
    await new Promise<void>((r) => {
      const t = setTimeout(r, stage.durationMs);
      signal.addEventListener('abort', () => { clearTimeout(t); r(); }, { once: true });
    });
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const inst = autocannon({
      url,
      connections: stage.rate !== undefined ? Math.max(1, Math.min(connections, stage.rate)) : connections,
      duration: stage.durationMs / 1000,
      ...(stage.rate !== undefined ? { overallRate: stage.rate } : {}),
      headers: host ? { host } : {},
      timeout: 10,
    }, (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
    inst.on('response', (_c, status, _b, ms) => onResponse(status, ms));
    inst.on('reqError', onError);
    signal.addEventListener('abort', () => inst.stop(), { once: true });
  });
}

export async function load(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, {
    connections: { type: 'string' }, duration: { type: 'string' }, rate: { type: 'string' }, ramp: { type: 'string' },
    host: { type: 'string' }, namespace: { type: 'string', short: 'n' }, kubeconfig: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(loadUsage);
    return 0;
  }
  const url = positionals[0];
  if (!url || positionals.length > 1) throw new UsageError('usage: skiff load URL [flags] (skiff load --help)');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`"${url}" is not a URL (e.g. http://127.0.0.1:8080/)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`only http and https URLs are supported, got ${parsed.protocol}`);
  const connections = values.connections === undefined ? 10 : Number(values.connections);
  if (!Number.isInteger(connections) || connections < 1 || connections > 10_000) throw new UsageError('--connections must be a whole number from 1 to 10000');
  let stages: Stage[];
  try {
    stages = profileOf({ ramp: values.ramp, duration: values.duration, rate: values.rate });
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(e.message);
    throw e;
  }
  const stop = new AbortController();
  const onInt = (): void => stop.abort();
  process.once('SIGINT', onInt);
  const kubeconfig = values.kubeconfig ?? process.env.KUBECONFIG?.split(':')[0] ?? './.skiff/kubeconfig';
  const cluster = await ClusterWatch.connect(kubeconfig, values.namespace, stop.signal);
  const all: number[] = [];
  const codes = new Map<number, number>();
  let errors = 0;
  let cur: Second = { n: 0, errors: 0, lat: [] };
  const t0 = Date.now();
  out(row(['time', 'rps', 'p50 ms', 'p99 ms', 'errors', 'replicas', 'pending', 'nodes']));
  const tick = setInterval(() => {
    const s = cur;
    cur = { n: 0, errors: 0, lat: [] };
    s.lat.sort((a, b) => a - b);
    out(row([`${Math.round((Date.now() - t0) / 1000)}s`, s.n, percentile(s.lat, 50).toFixed(1), percentile(s.lat, 99).toFixed(1), s.errors, ...clusterCols(cluster?.view())]));
  }, 1000);
  try {
    for (const stage of stages) {
      if (stop.signal.aborted) break;
      await runStage(parsed.href, stage, connections, values.host, (status, ms) => {
        cur.n++;
        cur.lat.push(ms);
        all.push(ms);
        codes.set(status, (codes.get(status) ?? 0) + 1);
        if (status >= 500 || status === 429 || status === 0) {
          cur.errors++;
          errors++;
        }
      }, () => {
        cur.errors++;
        errors++;
      }, stop.signal);
    }
  } finally {
    clearInterval(tick);
    process.off('SIGINT', onInt);
    stop.abort();
  }
  all.sort((a, b) => a - b);
  const secs = (Date.now() - t0) / 1000;
  out('');
  out(`${all.length} requests in ${secs.toFixed(1)}s (${(all.length / secs).toFixed(1)} req/s), ${errors} errors`);
  out(`latency ms: p50 ${percentile(all, 50).toFixed(1)}  p90 ${percentile(all, 90).toFixed(1)}  p99 ${percentile(all, 99).toFixed(1)}  max ${(all[all.length - 1] ?? 0).toFixed(1)}`);
  out(`status codes: ${[...codes.entries()].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}×${n}`).join(' ') || 'none'}`);
  if (cluster) {
    const v = cluster.view();
    out(`cluster (${cluster.scope}): ${v.ready}/${v.replicas} replicas ready, ${v.pending} pending pods, ${v.nodes} ready nodes`);
  }
  return errors > 0 && all.length === 0 ? 1 : 0;
}
