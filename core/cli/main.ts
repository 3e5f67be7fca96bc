/**
 * The `skiff` process: runs the CLI on this process's arguments. bin/skiff.js loads the compiled copy
 * (dist/core/cli/main.js); tests and benchmarks run this source through tsx
 * (`node --import tsx core/cli/main.ts`), so a stale dist/ never stands in for the code under test.
 */
import { main } from './index.js';

process.exitCode = await main(process.argv.slice(2));
