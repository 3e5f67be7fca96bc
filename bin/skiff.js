#!/usr/bin/env -S node --max-semi-space-size=64
// The `skiff` command: loads the TypeScript sources through tsx, then runs the CLI.
// A 64 MiB young generation (V8's default is 16) cuts the ingress proxy's GC work per request: see
// test/bench/ingress.bench.ts. `npm start` and `npm run skiff` pass the same flag.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../core/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
