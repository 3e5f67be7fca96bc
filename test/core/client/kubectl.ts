/** The machine's real kubectl (1.32) pointed at an in-process test server: writes a kubeconfig into its directory. */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestServer } from './harness.js';

export interface KubectlResult { code: number; out: string; err: string }
export type Kubectl = (...args: string[]) => Promise<KubectlResult>;

/** A kubectl runner for `server` (namespace `default`); `input` goes to its stdin (`-f -`). */
export async function kubectlFor(server: Pick<TestServer, 'dir' | 'server' | 'caCert' | 'token'>): Promise<Kubectl & { withInput(input: string, ...args: string[]): Promise<KubectlResult> }> {
  const home = join(server.dir, 'home');
  await mkdir(home, { recursive: true });
  const kubeconfig = join(server.dir, 'kubeconfig');
  await writeFile(kubeconfig, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: skiff', '  cluster:', `    server: ${server.server}`,
    `    certificate-authority-data: ${Buffer.from(server.caCert).toString('base64')}`,
    'users:', '- name: admin', '  user:', `    token: ${server.token}`,
    'contexts:', '- name: skiff', '  context: {cluster: skiff, user: admin, namespace: default}',
    'current-context: skiff', '',
  ].join('\n'));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
  const run = (input: string | undefined, args: string[]): Promise<KubectlResult> => new Promise((resolve) => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { env, timeout: 60_000 }, (e, out, err) => {
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
  return Object.assign((...args: string[]) => run(undefined, args), { withInput: (input: string, ...args: string[]) => run(input, args) });
}
