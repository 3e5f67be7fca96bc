/**
 * Every installed package with an install script is decided in package.json's `allowScripts` (true: it
 * builds something skiff needs; false: it does not run), so `npm install` on a fresh clone has nothing
 * to warn about. protobufjs's postinstall only prints a warning about its own version scheme: false.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall'];

interface Manifest { name?: string; scripts?: Record<string, string>; allowScripts?: Record<string, boolean> }

async function manifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Names of the packages under `nm` (and their nested node_modules) that declare an install hook. */
async function withInstallScripts(nm: string, out = new Set<string>()): Promise<Set<string>> {
  let entries: string[];
  try {
    entries = await readdir(nm);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.startsWith('.')) continue;
    const dirs = e.startsWith('@') ? (await readdir(join(nm, e))).map((s) => join(nm, e, s)) : [join(nm, e)];
    for (const d of dirs) {
      const m = await manifest(d);
      if (m?.name && INSTALL_HOOKS.some((h) => m.scripts?.[h])) out.add(m.name);
      await withInstallScripts(join(d, 'node_modules'), out);
    }
  }
  return out;
}

test('allowScripts decides every installed package that has an install script', async () => {
  const pkg = await manifest(root);
  const allowed = pkg?.allowScripts ?? {};
  const undecided = [...(await withInstallScripts(join(root, 'node_modules')))].filter((n) => !(n in allowed)).sort();
  assert.deepEqual(undecided, []);
  assert.equal(allowed.protobufjs, false, 'protobufjs\'s postinstall only checks its version scheme');
});
