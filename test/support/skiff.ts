/** Test support: run `skiff up` as a real child process and drive it with the machine's kubectl or skiff's CLI. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/**
 * Node's arguments that run the `skiff` command from the TypeScript sources (through tsx), as
 * `spawn(process.execPath, [...skiffCli, 'up', …])`: tests exercise the sources, never a possibly stale
 * dist/ (test/e2e/production-install.test.ts is the one test of the compiled bin/skiff.js).
 */
export const skiffCli: readonly string[] = ['--import', 'tsx', join(repoRoot, 'core/cli/main.ts')];
/** Node's arguments that run the compiled `skiff` (bin/skiff.js, dist/), as users run it: for benchmarks (`npm run bench:*` builds first). */
export const skiffCompiled: readonly string[] = [join(repoRoot, 'bin/skiff.js')];

export interface RunningSkiff {
  url: string;
  kubeconfig: string;
  dataDir: string;
  proc: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Sends the signal and waits for exit; returns the exit code (or signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export function tempDir(prefix = 'skiff-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Starts `skiff up --api-port 0` on `dataDir` and resolves once it prints `skiff ready:`. `cli` is Node's
 * arguments naming the skiff command (default: the sources, skiffCli), `cwd` where it runs (default: the repository).
 */
export async function startSkiff(opts: { dataDir?: string; args?: string[]; timeoutMs?: number; cli?: readonly string[]; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunningSkiff> {
  const dataDir = opts.dataDir ?? tempDir();
  // Every port is picked free, so suites can run side by side (and beside a developer's own skiff).
  const ports = ['--api-port', '0', '--ingress-http-port', '0', '--ingress-https-port', '0', '--dashboard-port', '0'];
  const proc = spawn(process.execPath, [...(opts.cli ?? skiffCli), 'up', '--data-dir', dataDir, ...ports, '--log-level', 'warn', ...(opts.args ?? [])], {
    cwd: opts.cwd ?? repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...(opts.env ?? process.env), KUBECONFIG: '' },
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`skiff up did not get ready in time:\n${out}`)), opts.timeoutMs ?? 30_000);
    const check = (): void => {
      const m = /skiff ready: (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`skiff up exited (${code}) before ready:\n${out}`));
    });
  });
  return {
    url,
    kubeconfig: join(dataDir, 'kubeconfig'),
    dataDir,
    proc,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

export interface CmdResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion with a timeout, feeding `input` on stdin. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<CmdResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: opts.cwd ?? repoRoot, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out\nstdout:${stdout}\nstderr:${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    p.stdin.end(opts.input ?? '');
  });
}

/** The machine's real kubectl against a skiff, with its own discovery cache. */
export function kubectlFor(s: { kubeconfig: string; dataDir: string }) {
  const cache = join(s.dataDir, 'kube-cache');
  return (args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<CmdResult> =>
    run('kubectl', ['--cache-dir', cache, ...args], { env: { KUBECONFIG: s.kubeconfig, HOME: s.dataDir }, ...opts });
}

/** skiff's own CLI against a skiff. */
export function skiffCliFor(s: { kubeconfig: string }) {
  return (args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<CmdResult> =>
    run(process.execPath, [...skiffCli, ...args], { env: { KUBECONFIG: s.kubeconfig }, ...opts });
}

/** Polls `fn` until it returns a truthy value or the time runs out. */
export async function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

export function readKubeconfigToken(kubeconfig: string): string {
  const m = /token:\s*(\S+)/.exec(readFileSync(kubeconfig, 'utf8'));
  if (!m?.[1]) throw new Error('no token in kubeconfig');
  return m[1];
}
