/** Readiness, liveness and startup probes: one attempt of each kind, and a worker applying thresholds. */
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { Container, Probe } from '../api/index.js';

export interface ProbeResult {
  ok: boolean;
  message: string;
}

export interface ProbeTarget {
  /** The pod's own loopback address. */
  podIP: string;
  container: Container;
  env: Record<string, string>;
  cwd: string;
}

function resolvePort(port: number | string, c: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

function httpProbe(p: NonNullable<Probe['httpGet']>, t: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const port = resolvePort(p.port, t.container);
  if (port === undefined) return Promise.resolve({ ok: false, message: `port ${String(p.port)} not found in container ports` });
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.32', accept: '*/*' };
    for (const h of p.httpHeaders ?? []) headers[h.name] = h.value;
    const req = request({ host: p.host || t.podIP, port, path: p.path || '/', method: 'GET', headers, timeout: timeoutMs }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? { ok: true, message: '' } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ ok: false, message: `Get "http://${t.podIP}:${port}${p.path || '/'}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    });
    req.on('error', (e) => resolve({ ok: false, message: `Get "http://${t.podIP}:${port}${p.path || '/'}": ${e.message}` }));
    req.end();
  });
}

function tcpProbe(p: NonNullable<Probe['tcpSocket']>, t: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const port = resolvePort(p.port, t.container);
  if (port === undefined) return Promise.resolve({ ok: false, message: `port ${String(p.port)} not found in container ports` });
  return new Promise((resolve) => {
    const s = connect({ host: p.host || t.podIP, port, timeout: timeoutMs });
    s.once('connect', () => {
      s.destroy();
      resolve({ ok: true, message: '' });
    });
    s.once('timeout', () => {
      s.destroy();
      resolve({ ok: false, message: `dial tcp ${t.podIP}:${port}: i/o timeout` });
    });
    s.once('error', (e) => resolve({ ok: false, message: `dial tcp ${t.podIP}:${port}: ${e.message}` }));
  });
}

function execProbe(p: NonNullable<Probe['exec']>, t: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  const [cmd, ...args] = p.command ?? [];
  if (!cmd) return Promise.resolve({ ok: false, message: 'exec probe has no command' });
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: t.cwd, env: t.env, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (!err) resolve({ ok: true, message: '' });
      else resolve({ ok: false, message: (stdout + stderr).trim() || err.message });
    });
  });
}

/** Runs the probe once. */
export function probeOnce(p: Probe, t: ProbeTarget): Promise<ProbeResult> {
  const timeoutMs = (p.timeoutSeconds ?? 1) * 1000;
  if (p.httpGet) return httpProbe(p.httpGet, t, timeoutMs);
  if (p.tcpSocket) return tcpProbe(p.tcpSocket, t, timeoutMs);
  if (p.exec) return execProbe(p.exec, t, timeoutMs);
  return Promise.resolve({ ok: false, message: 'probe has no handler (httpGet, tcpSocket or exec)' });
}

/** Applies success/failure thresholds to successive results (pure). */
export class ProbeState {
  private successes = 0;
  private failures = 0;
  result: boolean;
  lastMessage = '';

  constructor(private readonly probe: Probe, initial: boolean) {
    this.result = initial;
  }

  /** Starts over (a restarted container): counts cleared, result back to `value`. */
  reset(value: boolean): void {
    this.successes = 0;
    this.failures = 0;
    this.result = value;
  }

  /** Records one attempt; returns true when the overall result flipped. */
  record(r: ProbeResult): boolean {
    const before = this.result;
    if (r.ok) {
      this.failures = 0;
      this.successes++;
      if (this.successes >= (this.probe.successThreshold ?? 1)) this.result = true;
    } else {
      this.successes = 0;
      this.failures++;
      this.lastMessage = r.message;
      if (this.failures >= (this.probe.failureThreshold ?? 3)) this.result = false;
    }
    return before !== this.result;
  }
}
