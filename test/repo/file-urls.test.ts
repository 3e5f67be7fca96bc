/**
 * A module's own path comes from `fileURLToPath(import.meta.url)`: `new URL(…, import.meta.url).pathname` keeps
 * percent-escapes (`/opt/my%20apps/skiff`), so an install path with a space or non-ASCII letter breaks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', '.git', 'coverage']);
const PATHNAME_OF_MODULE_URL = /import\.meta\.url\s*\)\s*\.pathname|import\.meta\.url\s*\.pathname/;

async function sources(dir: string, out: string[] = []): Promise<string[]> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await sources(p, out);
    else if (/\.(ts|mts|js|mjs|cjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

test('no module takes its path from import.meta.url\'s pathname', async () => {
  const offenders: string[] = [];
  for (const f of await sources(root)) {
    if (f === fileURLToPath(import.meta.url)) continue;
    const lines = (await readFile(f, 'utf8')).split('\n');
    lines.forEach((l, i) => { if (PATHNAME_OF_MODULE_URL.test(l)) offenders.push(`${relative(root, f)}:${i + 1}`); });
  }
  assert.deepEqual(offenders, [], 'use fileURLToPath(new URL(…, import.meta.url))');
});

test('the difference it makes: a module under a directory with a space finds its sibling', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff url '));
  try {
    await mkdir(join(dir, 'my apps'));
    const mod = join(dir, 'my apps', 'probe.mjs');
    await writeFile(join(dir, 'my apps', 'sibling.txt'), 'found');
    await writeFile(mod, [
      "import { readFileSync } from 'node:fs';",
      "import { fileURLToPath } from 'node:url';",
      "const viaPathname = () => { try { return readFileSync(new URL('./sibling.txt', import.meta.url).pathname, 'utf8'); } catch { return 'missing'; } };",
      "console.log(JSON.stringify({ pathname: viaPathname(), fileURLToPath: readFileSync(fileURLToPath(new URL('./sibling.txt', import.meta.url)), 'utf8') }));",
    ].join('\n'));
    const r = spawnSync(process.execPath, [mod], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { pathname: 'missing', fileURLToPath: 'found' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
