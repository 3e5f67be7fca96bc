#!/usr/bin/env node
// The `skiff` command: runs the compiled JavaScript in dist/ (built by `npm run build`, and by the
// `prepare` step of `npm install`). Stack traces point at the TypeScript sources through source maps.
import { fileURLToPath } from 'node:url';

process.setSourceMapsEnabled(true);
const entry = new URL('../dist/core/cli/main.js', import.meta.url);
try {
  await import(entry.href);
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes(fileURLToPath(entry))) throw e;
  process.stderr.write('error: skiff is not built (dist/ is missing); run `npm run build` in its directory\n');
  process.exitCode = 1;
}
