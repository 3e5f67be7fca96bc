// Module hook of compiled.mjs: a skiff source file (.ts) resolves to its compiled copy in dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../', import.meta.url).href;
const compiled = ['core/', 'providers/', 'ingress/', 'autoscaler/', 'dashboard/', 'examples/apps/'];

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (!r.url.startsWith(root) || !r.url.endsWith('.ts')) return r;
  const rel = r.url.slice(root.length);
  if (!compiled.some((d) => rel.startsWith(d))) return r;
  const js = `${root}dist/${rel.slice(0, -'.ts'.length)}.js`;
  if (!existsSync(fileURLToPath(js))) throw new Error(`${rel} has no compiled copy in dist/: run npm run build`);
  return { ...r, url: js, format: 'module' };
}
