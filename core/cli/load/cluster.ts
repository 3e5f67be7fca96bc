/** What `skiff load` shows of the cluster each second: replicas, pending pods and ready nodes, from informers (no polling). */
import type { Deployment, Node, Pod } from '../../api/index.js';
import { KubeClient, SharedInformerFactory, type Informer } from '../../client/index.js';
import { silentLogger, systemClock } from '../../util/index.js';

export interface ClusterView {
  replicas: number;
  ready: number;
  pending: number;
  nodes: number;
}

export class ClusterWatch {
  private deploys: Informer<Deployment> | undefined;
  private pods: Informer<Pod> | undefined;
  private nodes: Informer<Node> | undefined;

  private constructor(private readonly client: KubeClient, private readonly namespace: string | undefined) {}

  /** Connects when a kubeconfig is usable; `undefined` when there is no cluster to show (any URL still works). */
  static async connect(kubeconfig: string | undefined, namespace: string | undefined, signal: AbortSignal): Promise<ClusterWatch | undefined> {
    try {
      const client = await KubeClient.fromKubeconfig(kubeconfig);
      await client.request('GET', '/version', undefined, { signal: AbortSignal.timeout(2000) });
      const w = new ClusterWatch(client, namespace);
      const f = new SharedInformerFactory({ client, clock: systemClock, log: silentLogger });
      const scope = namespace ? { namespace } : {};
      w.deploys = f.informerFor<Deployment>({ apiVersion: 'apps/v1', plural: 'deployments', namespaced: true }, scope);
      w.pods = f.informerFor<Pod>({ apiVersion: 'v1', plural: 'pods', namespaced: true }, scope);
      w.nodes = f.informerFor<Node>({ apiVersion: 'v1', plural: 'nodes', namespaced: false });
      f.start(signal);
      signal.addEventListener('abort', () => client.close(), { once: true });
      return w;
    } catch {
      return undefined;
    }
  }

  view(): ClusterView {
    const deploys = this.deploys?.list() ?? [];
    const pods = this.pods?.list() ?? [];
    return {
      replicas: deploys.reduce((a, d) => a + (d.spec.replicas ?? 1), 0),
      ready: deploys.reduce((a, d) => a + (d.status?.readyReplicas ?? 0), 0),
      pending: pods.filter((p) => p.status?.phase === 'Pending' || (!p.status?.phase && !p.spec.nodeName)).length,
      nodes: (this.nodes?.list() ?? []).filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length,
    };
  }

  get scope(): string {
    return this.namespace ?? 'all namespaces';
  }
}
