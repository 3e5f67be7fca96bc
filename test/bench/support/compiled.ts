/** Benchmarks' child processes that run harness TypeScript, with skiff's own modules from dist/ (see compiled.mjs). */
import { fileURLToPath } from 'node:url';

const hook = fileURLToPath(new URL('./compiled.mjs', import.meta.url));

/** Node's arguments that run the harness script `script` (TypeScript, through tsx) with skiff's modules compiled. */
export function tsChild(script: string, ...args: string[]): string[] {
  return ['--import', 'tsx', '--import', hook, script, ...args];
}
