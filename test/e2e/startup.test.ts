/**
 * `npm start` (= `skiff up --demo`) as people really run it: twice on the same data dir, cut short
 * with Ctrl-C during start-up, and with the ingress port already taken. Every case must leave a
 * usable data dir and no stray processes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { eventually, kubectlFor, repoRoot, skiffCli, tempDir } from '../support/skiff.js';

interface Up {
  output(): string;
  /** Resolves once `pattern` has been printed; rejects if skiff exits first. */
  printed(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  exited: Promise<number | string>;
}

const freePorts = ['--api-port', '0', '--ingress-http-port', '0', '--ingress-https-port', '0', '--dashboard-port', '0'];

function up(dataDir: string, args: string[] = freePorts): Up {
  const proc = spawn(process.execPath, [...skiffCli, 'up', '--demo', '--data-dir', dataDir, ...args, '--scale-down-unneeded-time', '10s'], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '' },
  });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  return {
    output: () => out,
    exited,
    printed: (pattern, timeoutMs = 120_000) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`skiff up --demo did not print ${String(pattern)} in time:\n${out}`)), timeoutMs);
      const check = (): void => {
        if (!pattern.test(out)) return;
        clearTimeout(timer);
        resolve();
      };
      proc.stdout.on('data', check);
      check();
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`skiff up --demo exited (${code}) before printing ${String(pattern)}:\n${out}`));
      });
    }),
    stop: async (signal = 'SIGINT') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Processes that belong to a data dir: pods (their cwd is under it) and skiffs started on it. */
function strays(dataDir: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cwd.startsWith(dataDir) || cmd.includes(dataDir)) out.push(`${pid} ${cmd.replace(/\0/g, ' ')}`);
    } catch {
      // gone or not ours
    }
  }
  return out;
}

function status(port: number, host: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

function ingressPort(out: string): number {
  const m = /ingress\s+http:\/\/demo\.localhost:(\d+)\//.exec(out);
  assert.ok(m?.[1], `the block names the ingress port:\n${out}`);
  return Number(m[1]);
}

const demoObjects = 'deployments,services,ingresses,hpa,vpa,nodegroups';

describe('npm start: restarts, Ctrl-C during start-up, a taken port', () => {
  const dirs: string[] = [];
  const running: Up[] = [];
  const dir = (): string => {
    const d = tempDir('skiff-startup-');
    dirs.push(d);
    return d;
  };
  after(async () => {
    for (const u of running) await u.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a second start on the same data dir keeps the objects, adds no duplicates, and the demo still answers', async () => {
    const dataDir = dir();
    const kubectl = kubectlFor({ kubeconfig: `${dataDir}/kubeconfig`, dataDir });
    const objects = async (): Promise<string[]> => {
      const r = await kubectl(['get', demoObjects, '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.uid}{"\\n"}{end}']);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.split('\n').filter(Boolean).sort();
    };
    const readyNodes = async (): Promise<number> => {
      const r = await kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
      return r.stdout.split('\n').filter((l) => l === 'True').length;
    };

    const first = up(dataDir);
    running.push(first);
    await first.printed(/skiff ready: /);
    assert.match(first.output(), /applied examples\/demo\/ \(\d+ objects\)/);
    const before = await objects();
    assert.equal(before.length, 8, `the demo's 8 objects:\n${before.join('\n')}`);
    assert.equal(await first.stop(), 0, 'Ctrl-C stops skiff cleanly');
    await eventually(() => strays(dataDir).length === 0, { timeoutMs: 15_000, what: `no processes left: ${strays(dataDir).join('; ')}` });

    const second = up(dataDir);
    running.push(second);
    await second.printed(/skiff ready: /);
    assert.match(second.output(), /examples\/demo\/ already applied: keeping the current state/);
    assert.deepEqual(await objects(), before, 'same objects, same uids, nothing added');
    const port = ingressPort(second.output());
    assert.equal(await status(port, 'demo.localhost'), 200, 'the demo answers after the restart');
    await eventually(async () => (await readyNodes()) === 2, { timeoutMs: 30_000, what: 'the node group at its 2 nodes, not 4' });
    const nodes = await kubectl(['get', 'nodes', '-o', 'name']);
    assert.equal(nodes.stdout.split('\n').filter(Boolean).length, 2, `no duplicate nodes:\n${nodes.stdout}`);
    assert.equal(await second.stop(), 0);
    await eventually(() => strays(dataDir).length === 0, { timeoutMs: 15_000, what: `no processes left: ${strays(dataDir).join('; ')}` });
  });

  it('Ctrl-C right after the first progress line stops cleanly, and the next start works', async () => {
    const dataDir = dir();
    const first = up(dataDir);
    running.push(first);
    await first.printed(/^(ingress|dashboard|starting|applied|waiting)\b/m, 60_000);
    const code = await first.stop('SIGINT');
    assert.equal(code, 0, `Ctrl-C during start-up exits 0:\n${first.output()}`);
    assert.doesNotMatch(first.output(), /skiff ready: /, 'it did not go on to report ready');
    await eventually(() => strays(dataDir).length === 0, { timeoutMs: 15_000, what: `no processes left: ${strays(dataDir).join('; ')}` });

    const second = up(dataDir);
    running.push(second);
    await second.printed(/skiff ready: /);
    const port = ingressPort(second.output());
    assert.equal(await status(port, 'demo.localhost'), 200, 'the demo answers on the data dir the interrupted start left');
    assert.equal(await second.stop(), 0);
    await eventually(() => strays(dataDir).length === 0, { timeoutMs: 15_000, what: `no processes left: ${strays(dataDir).join('; ')}` });
  });

  it('a taken ingress port fails start-up with one line naming the port and --ingress-http-port', async () => {
    const dataDir = dir();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const u = up(dataDir, ['--api-port', '0', '--ingress-http-port', String(taken), '--ingress-https-port', '0', '--dashboard-port', '0']);
      running.push(u);
      const code = await u.exited;
      assert.notEqual(code, 0, 'skiff up exits non-zero');
      const lines = u.output().split('\n').filter((l) => l.includes(String(taken)) && l.includes('--ingress-http-port'));
      assert.equal(lines.length, 1, `one line names the port and the flag:\n${u.output()}`);
      assert.match(lines[0] ?? '', /^error: port \d+ for the ingress is already in use/);
      await eventually(() => strays(dataDir).length === 0, { timeoutMs: 15_000, what: `no processes left: ${strays(dataDir).join('; ')}` });
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
