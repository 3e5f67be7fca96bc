/** The data directory: lock file, API token and kubeconfig location. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './args.js';

export interface DataDir {
  path: string;
  kubeconfig: string;
  token: string;
  /** Removes the lock; call on shutdown. */
  release(): void;
}

/** Whether process `pid` exists (EPERM: it does, owned by someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates (or reuses) the data dir and takes its lock; a second `skiff up` on it fails clearly. */
export function openDataDir(dir: string): DataDir {
  const path = resolve(dir);
  mkdirSync(path, { recursive: true, mode: 0o700 });
  const lock = join(path, 'skiff.pid');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new UsageError(`another skiff is already running on ${path} (pid ${pid}); stop it or choose another --data-dir`);
    }
  }
  writeFileSync(lock, String(process.pid), { mode: 0o600 });
  const tokenFile = join(path, 'token');
  let token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
  if (!/^[0-9a-f]{64}$/.test(token)) {
    token = randomBytes(32).toString('hex');
    writeFileSync(tokenFile, token + '\n', { mode: 0o600 });
  }
  return {
    path,
    kubeconfig: join(path, 'kubeconfig'),
    token,
    release: () => {
      try {
        if (readFileSync(lock, 'utf8').trim() === String(process.pid)) rmSync(lock);
      } catch {
        // already gone
      }
    },
  };
}
