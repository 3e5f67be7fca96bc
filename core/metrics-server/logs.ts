/** `pods/log`: finds the pod's node and streams the log from its node agent. */
import { ApiError, type Node, type Pod } from '../api/index.js';
import { nodeEndpoint, nodeGet } from './kubelet.js';

export interface Lookup {
  getPod(namespace: string, name: string): Promise<Pod>;
  getNode(name: string): Promise<Node>;
}

export interface LogRequest { namespace: string; pod: string; container?: string; follow: boolean; tailLines?: number; previous: boolean; timestamps?: boolean; sinceSeconds?: number; sinceTime?: string; limitBytes?: number }

export function createLogsProvider(look: Lookup, token: string) {
  return {
    async stream(r: LogRequest, out: NodeJS.WritableStream, signal: AbortSignal, onReady?: () => void): Promise<void> {
      const pod = await look.getPod(r.namespace, r.pod);
      const nodeName = pod.spec.nodeName;
      if (!nodeName) throw new ApiError('BadRequest', `pod ${r.pod} is not scheduled yet`);
      const containers = pod.spec.containers.map((c) => c.name);
      if (r.container && !containers.includes(r.container)) throw new ApiError('BadRequest', `container ${r.container} is not valid for pod ${r.pod}`);
      if (!r.container && containers.length > 1) throw new ApiError('BadRequest', `a container name must be specified for pod ${r.pod}, choose one of: [${containers.join(' ')}]`);
      const ep = nodeEndpoint(await look.getNode(nodeName));
      if (!ep) throw new ApiError('ServiceUnavailable', `node ${nodeName} has no agent endpoint`);
      const q = new URLSearchParams();
      if (r.follow) q.set('follow', 'true');
      if (r.previous) q.set('previous', 'true');
      if (r.timestamps) q.set('timestamps', 'true');
      if (r.tailLines !== undefined) q.set('tailLines', String(r.tailLines));
      if (r.sinceSeconds !== undefined) q.set('sinceSeconds', String(r.sinceSeconds));
      if (r.sinceTime) q.set('sinceTime', r.sinceTime);
      if (r.limitBytes !== undefined) q.set('limitBytes', String(r.limitBytes));
      const path = `/containerLogs/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.pod)}/${encodeURIComponent(r.container ?? containers[0] ?? '')}?${q.toString()}`;
      const res = await nodeGet(ep, path, token, signal);
      onReady?.();
      await new Promise<void>((resolve) => {
        res.on('end', resolve);
        res.on('error', () => resolve());
        signal.addEventListener('abort', () => resolve(), { once: true });
        res.pipe(out, { end: false });
      });
    },
  };
}
