/**
 * Where skiff's own files are, and how skiff starts its own scripts (sample apps, child processes).
 * One rule: a module resolves its sibling files by its own extension. Loaded from the compiled
 * JavaScript in dist/ (production), skiff runs `.js` files under plain Node with source maps on;
 * loaded from the TypeScript sources under tsx (tests, development), it runs `.ts` files through tsx.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

/** The root the running code was loaded from: dist/ when compiled, the repository under tsx. */
export function codeRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

/** Whether this process runs skiff's TypeScript sources (through tsx) rather than the compiled dist/. */
export function runsSources(): boolean {
  return extname(self) === '.ts';
}

export interface NodeCommand {
  file: string;
  args: string[];
}

/**
 * How to run skiff's script `rel` (relative to codeRoot(), without extension, e.g.
 * `examples/apps/echo/server`) with this Node: `node --enable-source-maps dist/….js`, or
 * `node --import tsx ….ts` when running from sources (tsx resolved from skiff's own install, since
 * the child's working directory may be anywhere).
 */
export function ownScript(rel: string): NodeCommand {
  if (!runsSources()) return { file: process.execPath, args: ['--enable-source-maps', join(codeRoot(), `${rel}.js`)] };
  return { file: process.execPath, args: ['--import', import.meta.resolve('tsx'), join(codeRoot(), `${rel}.ts`)] };
}

/** skiff's version, from the package.json of the install the running code belongs to. */
export function packageVersion(): string {
  for (let dir = codeRoot(); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
    if (dirname(dir) === dir) return 'unknown';
  }
}
