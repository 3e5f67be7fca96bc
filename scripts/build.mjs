#!/usr/bin/env node
// `npm run build` (and `npm install`'s prepare): compiles the TypeScript that runs in production into
// dist/ with source maps (tsc -p tsconfig.build.json, incremental), then copies the files that run as
// they are beside the compiled code, so every module finds its sibling files in dist/ as it does in the
// sources.
//
// In a production install (`npm ci --omit=dev`) there is no TypeScript: a dist/ that is already there
// (built before, or shipped with the package) is used as it is.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
/** Files that run without compiling: the dashboard's page, the listen shim preloaded into pods, the demo's manifests. */
const assets = ['dashboard/static', 'core/node/shim', 'examples/demo'];

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (existsSync(join(dist, 'core/cli/main.js'))) {
    console.log('skiff build: typescript is not installed (a production install); using the dist/ that is there');
    process.exit(0);
  }
  console.error('skiff build: typescript is not installed and there is no dist/; install the dev dependencies (npm install) to build');
  process.exit(1);
}
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
for (const a of assets) cpSync(join(root, a), join(dist, a), { recursive: true });
