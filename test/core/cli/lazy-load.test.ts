/**
 * The `skiff` command loads a subcommand's modules only when it runs: `--help`, `version` and `get`
 * never load the cloud SDKs, the load generator, the ingress, the dashboard or the metrics library.
 * Each case runs the CLI from sources with a module hook that records every module Node loads.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { repoRoot, run, skiffCli, tempDir } from '../../support/skiff.js';

/** Packages and folders that only some subcommands need. */
const heavy = ['@aws-sdk/', '@google-cloud/', 'google-auth-library', 'autocannon', 'playwright-core', 'prom-client', 'undici', 'http-proxy',
  '@peculiar/x509', 'better-sqlite3', 'cron-parser', '/dashboard/', '/ingress/', '/providers/', '/core/apiserver/', '/core/store/', '/core/node/'];

/** Runs `skiff …args` and returns its output and the URLs of every module it loaded. */
async function loaded(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string; urls: string[] }> {
  const dir = tempDir('skiff-lazy-');
  const log = join(dir, 'loaded.txt');
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }\n`);
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  writeFileSync(log, '');
  const [importFlag, tsx, main] = skiffCli;
  assert.ok(importFlag && tsx && main);
  const r = await run(process.execPath, [importFlag, tsx, '--import', join(dir, 'register.mjs'), main, ...args], { env });
  return { ...r, urls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('skiff loads subcommands on demand', () => {
  for (const { args, expect } of [
    { args: ['--help'], expect: /Usage: skiff <command>/ },
    { args: ['version'], expect: /^skiff version \d+\.\d+\.\d+/ },
  ]) {
    it(`skiff ${args.join(' ')} loads nothing beyond the command table`, async () => {
      const r = await loaded(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, expect);
      const skiffModules = r.urls.filter((u) => u.startsWith(pathToFileURL(repoRoot).href) && !u.includes('/node_modules/'));
      assert.ok(skiffModules.some((u) => u.endsWith('/core/cli/index.ts')), `the hook saw the CLI load:\n${r.urls.join('\n')}`);
      const extra = skiffModules.filter((u) => !/\/core\/cli\/(main|index|args)\.ts$|\/core\/util\/\w+(-\w+)*\.ts$/.test(u));
      assert.deepEqual(extra, [], 'modules loaded beyond the CLI entry, its argument parser and core/util');
    });
  }

  it('skiff version prints the version in package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = await loaded(['version']);
    assert.equal(r.stdout.split('\n')[0], `skiff version ${pkg.version}`);
  });

  it('skiff get pods loads the client, not the server, cloud, ingress, dashboard or load generator', async () => {
    const dir = tempDir('skiff-lazy-kc-');
    // A kubeconfig that names a server nobody listens on: get fails to connect, after loading what it needs.
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n');
    const r = await loaded(['get', 'pods'], { KUBECONFIG: kubeconfig });
    assert.notEqual(r.code, 0);
    assert.ok(r.urls.some((u) => u.endsWith('/core/client/index.ts')), 'get loaded the client');
    const found = r.urls.filter((u) => heavy.some((h) => u.includes(h)));
    assert.deepEqual(found, []);
  });
});
