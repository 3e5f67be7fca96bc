/** nginx children for the ingress benchmark: a proxy (BENCHMARKS.md's config) and a cheap `return 200` backend. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type Child } from './procs.js';

function prefix(): string {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-nginx-'));
  for (const d of ['logs', 'tmp', 'client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d), { recursive: true });
  return dir;
}

const common = (dir: string): string => `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 8192; }`;

const temps = (dir: string): string => `
  client_body_temp_path ${dir}/client_body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`;

/** The request headers ingress-nginx's template sets, which skiff's proxy sets too (a same-work comparison). */
const INGRESS_NGINX_HEADERS = `
      proxy_set_header Host $host; proxy_set_header X-Request-ID $request_id; proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Forwarded-Port $server_port; proxy_set_header X-Forwarded-Proto $scheme;`;

/**
 * nginx, 1 worker, proxying `listen` to `upstreams` with 64 kept-alive upstream connections (BENCHMARKS.md's
 * config); `forwardHeaders` adds ingress-nginx's forwarding headers.
 */
export function startNginxProxy(listen: string, upstreams: readonly string[], cpu: string, forwardHeaders = false): Promise<Child> {
  const dir = prefix();
  writeFileSync(join(dir, 'nginx.conf'), `${common(dir)}
http {
  access_log off;${temps(dir)}
  keepalive_requests 1000000;
  upstream be { ${upstreams.map((u) => `server ${u};`).join(' ')} keepalive 64; }
  server {
    listen ${listen};
    location / { proxy_pass http://be; proxy_http_version 1.1; proxy_set_header Connection "";${forwardHeaders ? INGRESS_NGINX_HEADERS : ''} }
  }
}
`);
  return startChild('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { cpu, waitMs: 700 });
}

/** The cheap backend: nginx answering `return 200` with the same 13-byte body on each address. */
export function startNginxBackend(listens: readonly string[], cpu: string): Promise<Child> {
  const dir = prefix();
  writeFileSync(join(dir, 'nginx.conf'), `${common(dir)}
http {
  access_log off;${temps(dir)}
  keepalive_requests 1000000;
  server {
    ${listens.map((l) => `listen ${l};`).join(' ')}
    location / { default_type text/plain; return 200 "hello, world\\n"; }
  }
}
`);
  return startChild('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { cpu, waitMs: 700 });
}
