// Preloaded into Node.js containers (NODE_OPTIONS=--import …) by skiff's node agent:
// a server that listens on all addresses (no host, 0.0.0.0 or ::) binds the pod's own
// loopback address instead, so that many pods on one machine can each listen on :8080.
import net from 'node:net';

const podIP = process.env.SKIFF_POD_IP;
const wildcard = (h) => h === undefined || h === null || h === '' || h === '0.0.0.0' || h === '::' || h === '[::]';

if (podIP) {
  const original = net.Server.prototype.listen;
  net.Server.prototype.listen = function patchedListen(...args) {
    const [first, second] = args;
    if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
      // listen({ port, host }) — leave unix sockets and handles alone.
      if (first.path === undefined && first.fd === undefined && first._handle === undefined && wildcard(first.host)) {
        args[0] = { ...first, host: podIP };
      }
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      // listen(port[, host][, backlog][, cb])
      if (typeof second === 'string' || second === null) {
        if (wildcard(second)) args[1] = podIP;
      } else {
        args.splice(1, 0, podIP);
      }
    }
    return original.apply(this, args);
  };
}
