/**
 * skiff as a production install runs it: the project with its compiled dist/, installed with
 * `npm ci --omit=dev` into a temporary directory (no TypeScript, no tsx), started with `bin/skiff.js up
 * --nodes 1` and driven with the machine's kubectl until the node is Ready and a built-in sample app
 * (run by the node agent with plain Node from dist/) serves. This is the one test of the compiled code;
 * every other test runs the sources.
 *
 * Shortcut, said plainly: the install runs with --ignore-scripts and better-sqlite3's native addon is
 * copied from this checkout's own install (built by the same Node for the same machine). Its install
 * script would compile sqlite from source (minutes on a small machine: prebuilt binaries cannot be
 * downloaded here). The project's own `prepare` is then run by hand, as npm would have.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, kubectlFor, repoRoot, run, startSkiff, tempDir, type RunningSkiff } from '../support/skiff.js';

/** What a production install is made from: the manifest and lock, the command, the compiled code, the build script `prepare` runs. */
const shipped = ['package.json', 'package-lock.json', 'bin', 'dist', 'scripts/build.mjs'];
const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';

/** The environment without anything that could bring tsx in from outside (NODE_OPTIONS=--import tsx). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

describe('a production install (npm ci --omit=dev) runs compiled skiff', () => {
  const dir = tempDir('skiff-prod-');
  let skiff: RunningSkiff | undefined;

  before(async () => {
    // dist/ as the sources are now (incremental: quick when `npm ci`'s prepare has just built it).
    const build = await run(process.execPath, ['scripts/build.mjs'], { timeoutMs: 280_000 });
    assert.equal(build.code, 0, build.stdout + build.stderr);
    for (const f of shipped) cpSync(join(repoRoot, f), join(dir, f), { recursive: true });
    rmSync(join(dir, 'dist/.tsbuildinfo'), { force: true });
    const install = await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env: cleanEnv(), timeoutMs: 280_000 });
    assert.equal(install.code, 0, install.stdout + install.stderr);
    mkdirSync(join(dir, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
    cpSync(join(repoRoot, addon), join(dir, addon));
  });

  after(async () => {
    await skiff?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has no TypeScript tooling, and its prepare keeps the shipped dist/', async () => {
    for (const dev of ['node_modules/.bin/tsx', 'node_modules/tsx', 'node_modules/typescript']) {
      assert.equal(existsSync(join(dir, dev)), false, `${dev} is installed`);
    }
    const prepare = await run('npm', ['run', 'prepare'], { cwd: dir, env: cleanEnv() });
    assert.equal(prepare.code, 0, prepare.stdout + prepare.stderr);
    assert.match(prepare.stdout, /typescript is not installed .*using the dist\//);
  });

  it('stack traces of the compiled code name the TypeScript sources (source maps)', async () => {
    const script = "const { parse } = await import('./dist/core/cli/args.js'); try { parse(['--bogus'], {}); } catch (e) { console.log(e.stack); }";
    const r = await run(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], { cwd: dir, env: cleanEnv() });
    assert.match(r.stdout, /Unknown option '--bogus'[\s\S]*core\/cli\/args\.ts:\d+:\d+/);
  });

  it('skiff up --nodes 1 serves kubectl, and runs a sample app from dist/', async () => {
    skiff = await startSkiff({ cli: [join(dir, 'bin/skiff.js')], cwd: dir, env: cleanEnv(), args: ['--nodes', '1'], timeoutMs: 120_000 });
    const kubectl = kubectlFor(skiff);
    await eventually(async () => {
      const r = await kubectl(['get', 'nodes', '--no-headers']);
      return r.code === 0 && /\sReady\s/.test(r.stdout);
    }, { timeoutMs: 60_000, what: 'kubectl get nodes to show a Ready node' });

    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'echo', namespace: 'default' }, spec: { containers: [{ name: 'echo', image: 'skiff/echo', readinessProbe: { httpGet: { path: '/', port: 8080 } } }] } };
    const created = await kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod) });
    assert.equal(created.code, 0, created.stderr);
    await eventually(async () => {
      const r = await kubectl(['get', 'pod', 'echo', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
      return r.stdout === 'True';
    }, { timeoutMs: 90_000, what: 'the skiff/echo pod to be Ready' });
    // The node agent ran the compiled app with plain Node: its command line names dist/…/server.js, not tsx.
    const ps = await run('ps', ['-eo', 'args']);
    const app = ps.stdout.split('\n').find((l) => l.includes(join(dir, 'dist/examples/apps/echo/server.js')));
    assert.ok(app, `no process runs ${join(dir, 'dist/examples/apps/echo/server.js')}:\n${ps.stdout}`);
    assert.doesNotMatch(app, /tsx/);
  });
});
