/** bench:ingress-churn helpers: line-protocol children, an open-ended wrk run stopped by SIGINT, HTTP probes, percentiles. */
import { spawn, type ChildProcess } from 'node:child_process';
import { tsChild } from './compiled.js';
import { request, type Agent } from 'node:http';
import { createInterface } from 'node:readline';

/** A child that speaks one JSON line per request on stdin/stdout. */
export interface LineChild {
  readonly first: unknown;
  ask<T>(line: string): Promise<T>;
  stop(): Promise<void>;
}

/** Spawns `node --import tsx script …args` (skiff's modules compiled, see compiled.ts) and resolves with its first stdout line parsed as JSON. */
export function startLineChild(script: string, args: string[] = []): Promise<LineChild> {
  const proc = spawn(process.execPath, tsChild(script, ...args), { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const waiting: ((line: string) => void)[] = [];
  const lines: string[] = [];
  createInterface({ input: proc.stdout }).on('line', (l) => {
    const w = waiting.shift();
    if (w === undefined) lines.push(l);
    else w(l);
  });
  const next = (): Promise<string> => new Promise((resolve, reject) => {
    const l = lines.shift();
    if (l !== undefined) { resolve(l); return; }
    if (proc.exitCode !== null) { reject(new Error(`${script} exited ${proc.exitCode}: ${err}`)); return; }
    waiting.push(resolve);
  });
  const stop = (): Promise<void> => new Promise((r) => {
    if (proc.exitCode !== null) { r(); return; }
    proc.once('exit', () => r());
    proc.stdin.end();
    proc.kill('SIGTERM');
    setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`${script} exited ${code}: ${err}`));
    proc.once('exit', onExit);
    void next().then((l) => {
      proc.off('exit', onExit);
      resolve({
        first: JSON.parse(l) as unknown,
        async ask<T>(line: string): Promise<T> {
          proc.stdin.write(`${line}\n`);
          return JSON.parse(await next()) as T;
        },
        stop,
      });
    });
  });
}

export interface WrkOutcome { rps: number; requests: number; non2xx: number; socketErrors: number; seconds: number; raw: string }

/** `taskset -c 0 wrk -t1 -cN -d600s -H 'Host: host' url`, running until `stop()` sends SIGINT (wrk then prints its totals). */
export function startWrk(url: string, host: string, connections: number): { proc: ChildProcess; stop(): Promise<WrkOutcome> } {
  const proc = spawn('taskset', ['-c', '0', 'wrk', '-t1', `-c${connections}`, '-d600s', '-H', `Host: ${host}`, url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    proc,
    async stop(): Promise<WrkOutcome> {
      proc.kill('SIGINT');
      await exited;
      const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const total = /(\d+) requests in ([\d.]+)(m?s|m)\b/.exec(out);
      const unit = total?.[3] ?? 's';
      const seconds = Number(total?.[2] ?? NaN) * (unit === 'ms' ? 0.001 : unit === 'm' ? 60 : 1);
      return {
        rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
        requests: Number(total?.[1] ?? 0),
        non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
        socketErrors: errs === null ? 0 : errs.slice(1).reduce((a, b) => a + Number(b), 0),
        seconds,
        raw: out,
      };
    },
  };
}

/** GET through the proxy with a Host header; resolves with the status (the body is read and dropped). */
export function status(port: number, path: string, host: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, path, agent, headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end();
  });
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Milliseconds from now until `path` on `host` answers `want` (polling every ~1 ms), or NaN after `timeoutMs`. */
export async function untilStatus(port: number, path: string, host: string, want: number, agent: Agent, timeoutMs = 10_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    let got = 0;
    try {
      got = await status(port, path, host, agent);
    } catch {
      // a probe error is not a load failure; try again
    }
    const dt = performance.now() - t0;
    if (got === want) return dt;
    if (dt > timeoutMs) return NaN;
    await pause(1);
  }
}

export function percentile(xs: readonly number[], p: number): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export function summary(xs: readonly number[]): string {
  const f = (p: number): string => percentile(xs, p).toFixed(1);
  const max = Math.max(...xs.filter(Number.isFinite));
  const lost = xs.filter((x) => !Number.isFinite(x)).length;
  return `n ${xs.length}, p50 ${f(50)} ms, p90 ${f(90)} ms, p99 ${f(99)} ms, max ${Number.isFinite(max) ? max.toFixed(1) : '-'} ms${lost > 0 ? `, ${lost} never served` : ''}`;
}
