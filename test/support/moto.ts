/**
 * A moto_server (python moto) for AWS provider tests: started on a free loopback port, reset between suites,
 * stopped when the suite ends. Fake credentials go into this process's env only (tests never touch real AWS).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface Moto {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Forgets every resource (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Fake credentials and region for the SDK's standard chain, set in this test process only. */
export function useFakeAwsCredentials(region = 'us-east-1'): void {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_SESSION_TOKEN = 'testing';
  process.env.AWS_REGION = region;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_PROFILE;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function ready(endpoint: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${endpoint}/moto-api/`);
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - start > deadlineMs) throw new Error('moto_server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts moto_server on a free loopback port (retrying if another suite grabbed the port first). */
export async function startMoto(): Promise<Moto> {
  useFakeAwsCredentials();
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await ready(endpoint, child, 30_000);
    } catch (e) {
      child.kill();
      if (attempt >= 3) throw e;
      continue;
    }
    return {
      endpoint,
      reset: async () => {
        const r = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
        if (!r.ok) throw new Error(`moto reset: ${r.status}`);
      },
      stop: () => new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
    };
  }
}
