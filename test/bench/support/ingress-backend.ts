/** Benchmark backend: keep-alive HTTP server answering a 13-byte body. `node --import tsx ingress-backend.ts IP:PORT...` */
import { createServer } from 'node:http';

const body = Buffer.from('hello, world\n');
for (const a of process.argv.slice(2)) {
  const [ip = '127.0.0.1', p = '0'] = a.split(':');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(p), ip);
}
process.stdout.write('ready\n');
