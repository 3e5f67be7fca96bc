/** The GCP cloud-config (documented in docs/gcp.md). Pure. */
import { CloudError } from '../../core/cloud/index.js';

export interface NodeGroupConfig {
  /** Managed instance group name. */
  name: string;
  zone: string;
  min: number;
  max: number;
}

export interface GcpConfig {
  project: string;
  region: string;
  zones: string[];
  /** Network name (firewalls and internal forwarding rules); default `default`. */
  network: string;
  subnetwork?: string;
  clusterName: string;
  /** Network tags the firewall rules target; default the node instances' own tags. */
  nodeTags: string[];
  apiEndpoint?: string;
  port?: number;
  protocol?: 'http' | 'https';
  keyFile?: string;
  /**
   * Tests only: a static bearer token instead of Application Default Credentials (no token endpoint, no
   * metadata server). Accepted only with a loopback `apiEndpoint`, so it can never be sent to Google.
   */
  authToken?: string;
  nodeGroups: NodeGroupConfig[];
  /** Requests per second through the shared limiter; default 20. */
  qps: number;
  /** First retry back-off; doubles up to 30 s; default 500 ms. */
  backoffMs: number;
  attempts: number;
  /** Pause between operation polls; default 1000 ms. */
  pollIntervalMs: number;
  /** Operation polls before giving up (Transient); default 600. */
  maxPolls: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function need(cfg: Readonly<Record<string, unknown>>, key: string): string {
  const v = str(cfg[key]);
  if (!v) throw new CloudError('InvalidArgument', `gcp cloud-config: "${key}" is required`);
  return v;
}

function nodeGroups(v: unknown, zones: string[]): NodeGroupConfig[] {
  if (!Array.isArray(v)) return [];
  return v.map((g: unknown) => {
    const o = (typeof g === 'object' && g !== null ? g : {}) as Record<string, unknown>;
    const name = str(o.name);
    if (!name) throw new CloudError('InvalidArgument', 'gcp cloud-config: nodeGroups[].name is required');
    return { name, zone: str(o.zone) ?? zones[0] ?? '', min: num(o.min, 0), max: num(o.max, 10) };
  });
}

/** Whether `host` (or `host:port`) is a loopback address. Pure. */
export function isLoopbackEndpoint(host: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  const h = bracketed?.[1] ?? (host.split(':').length === 2 ? host.replace(/:\d+$/, '') : host);
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** `apiEndpoint` is a bare host name, as documented; a URL (`http://…`) would only fail at the first call with a DNS error. */
function endpointHost(v: string | undefined): string | undefined {
  if (v !== undefined && (v.includes('://') || v.includes('/'))) {
    throw new CloudError('InvalidArgument', `gcp cloud-config: "apiEndpoint" must be a host name such as 127.0.0.1, not a URL (got ${JSON.stringify(v)}); give the port as "port" and the scheme as "protocol": http`);
  }
  return v;
}

function authToken(cfg: Readonly<Record<string, unknown>>, apiEndpoint: string | undefined): string | undefined {
  const token = str(cfg.authToken);
  if (token && !(apiEndpoint && isLoopbackEndpoint(apiEndpoint))) {
    throw new CloudError('InvalidArgument', 'gcp cloud-config: "authToken" is for tests only and needs a loopback "apiEndpoint"');
  }
  return token;
}

export function parseGcpConfig(cfg: Readonly<Record<string, unknown>>, clusterName: string): GcpConfig {
  const region = need(cfg, 'region');
  const zones = strs(cfg.zones);
  if (zones.length === 0) zones.push(`${region}-a`);
  const protocol = cfg.protocol === 'http' ? 'http' : cfg.protocol === 'https' ? 'https' : undefined;
  const apiEndpoint = endpointHost(str(cfg.apiEndpoint));
  const keyFile = str(cfg.keyFile);
  const subnetwork = str(cfg.subnetwork);
  const token = authToken(cfg, apiEndpoint);
  return {
    project: need(cfg, 'project'), region, zones,
    network: str(cfg.network) ?? 'default', clusterName: str(cfg.clusterName) ?? clusterName,
    nodeTags: strs(cfg.nodeTags), nodeGroups: nodeGroups(cfg.nodeGroups, zones),
    qps: num(cfg.qps, 20), backoffMs: num(cfg.backoffMs, 500), attempts: num(cfg.attempts, 8),
    pollIntervalMs: num(cfg.pollIntervalMs, 1000), maxPolls: num(cfg.maxPolls, 600),
    ...(subnetwork ? { subnetwork } : {}), ...(apiEndpoint ? { apiEndpoint } : {}),
    ...(typeof cfg.port === 'number' ? { port: cfg.port } : {}), ...(protocol ? { protocol } : {}), ...(keyFile ? { keyFile } : {}),
    ...(token ? { authToken: token } : {}),
  };
}
