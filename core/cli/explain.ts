/**
 * `skiff explain hpa NAME [-n NS]`: an HPA's spec, current metrics, conditions, last decision and
 * recent events. `skiff explain nodes`: the cluster autoscaler's status and decisions, and per-node
 * utilization with what the autoscaler last said about each node.
 */
import type { ConfigMap, Event, HorizontalPodAutoscaler, Node, NodeMetrics, Pod } from '../api/index.js';
import type { KubeClient } from '../client/index.js';
import { CA_STATUS_NAME, CA_STATUS_NAMESPACE, caView, eventViews, hpaView, nodeViews, type CaDecision } from '../../dashboard/index.js';
import type { Io } from './apply.js';
import { parse, UsageError } from './args.js';
import { columns, getOptional, nodeMetrics, nodeRows, statusTargets } from './status.js';

const options = { namespace: { type: 'string', short: 'n' } } as const;
const usage = 'usage: skiff explain hpa NAME [-n NAMESPACE] | skiff explain nodes';

async function eventsFor(client: KubeClient, kind: string, name: string, ns: string | undefined, signal: AbortSignal): Promise<Event[]> {
  const fieldSelector = `involvedObject.kind=${kind},involvedObject.name=${name}`;
  const list = await client.listAll<Event>(statusTargets.events, { ...(ns ? { namespace: ns } : {}), fieldSelector, signal });
  // Filter here too, in case a server ignores the field selector.
  return list.items.filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name);
}

export function explainHpaLines(hpa: HorizontalPodAutoscaler, events: readonly Event[]): string[] {
  const v = hpaView(hpa);
  const out = [
    `Name:              ${v.namespace}/${v.name}`,
    `Scale target:      ${v.target}`,
    `Replicas:          ${v.currentReplicas} current / ${v.desiredReplicas} desired (min ${v.minReplicas}, max ${v.maxReplicas})`,
    'Metrics (current / target):',
    ...(v.metrics.length > 0 ? v.metrics.map((m) => `  ${m.name}: ${m.current} / ${m.target}`) : ['  <none>']),
  ];
  const b = hpa.spec.behavior;
  if (b?.scaleUp?.stabilizationWindowSeconds !== undefined) out.push(`Scale-up stabilization:   ${b.scaleUp.stabilizationWindowSeconds}s`);
  if (b?.scaleDown?.stabilizationWindowSeconds !== undefined) out.push(`Scale-down stabilization: ${b.scaleDown.stabilizationWindowSeconds}s`);
  out.push('Conditions:');
  const conds = hpa.status?.conditions ?? [];
  out.push(...(conds.length > 0 ? columns([['TYPE', 'STATUS', 'REASON', 'MESSAGE'], ...conds.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? ''])]) : ['  <none>']));
  out.push('Last decision:');
  out.push(v.decision ? `  ${v.decision.time}: ${v.decision.currentReplicas} → ${v.decision.replicas} replicas` : '  <none yet>');
  if (v.decision) out.push(...v.decision.explanation.split('\n').map((l) => `  ${l}`));
  out.push('Events:');
  const ev = eventViews(events, 15);
  out.push(...(ev.length > 0 ? columns([['TIME', 'TYPE', 'REASON', 'MESSAGE'], ...ev.map((e) => [e.time, e.type, e.reason, e.message])]) : ['  <none>']));
  return out;
}

async function explainHpa(client: KubeClient, names: string[], ns: string, io: Io, signal: AbortSignal): Promise<number> {
  const [name, ...extra] = names;
  if (!name || extra.length > 0) throw new UsageError(usage);
  const hpa = await getOptional<HorizontalPodAutoscaler>(client, statusTargets.hpas, ns, name, signal);
  if (!hpa) throw new UsageError(`horizontalpodautoscaler "${name}" not found in namespace "${ns}"`);
  for (const line of explainHpaLines(hpa, await eventsFor(client, 'HorizontalPodAutoscaler', name, ns, signal))) io.out(line);
  return 0;
}

/** The newest decision whose explanation names `node` (as a whole word). */
export function lastDecisionAbout(node: string, decisions: readonly CaDecision[]): CaDecision | undefined {
  const re = new RegExp(`(^|[^\\w.-])${node.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.-])`);
  return [...decisions].reverse().find((d) => re.test(d.explanation));
}

async function explainNodes(client: KubeClient, names: string[], io: Io, signal: AbortSignal): Promise<number> {
  if (names.length > 0) throw new UsageError(usage);
  const [nodes, pods, usageList, cm, nodeEvents]: [Node[], Pod[], NodeMetrics[], ConfigMap | undefined, Event[]] = await Promise.all([
    client.listAll<Node>(statusTargets.nodes, { signal }).then((l) => l.items),
    client.listAll<Pod>(statusTargets.pods, { signal }).then((l) => l.items),
    nodeMetrics(client, signal),
    getOptional<ConfigMap>(client, statusTargets.configmaps, CA_STATUS_NAMESPACE, CA_STATUS_NAME, signal),
    client.listAll<Event>(statusTargets.events, { fieldSelector: 'involvedObject.kind=Node', signal }).then((l) => l.items.filter((e) => e.involvedObject.kind === 'Node')),
  ]);
  if (!cm) throw new UsageError(`the cluster autoscaler has not reported: configmap ${CA_STATUS_NAMESPACE}/${CA_STATUS_NAME} not found (is it running, with node groups?)`);
  const ca = caView(cm, 10);
  const out = [ca.status.trimEnd() || 'Cluster autoscaler: no status text yet', '', 'Last decisions:'];
  out.push(...(ca.decisions.length > 0 ? ca.decisions.map((d) => `  ${d.time} ${d.kind}: ${d.explanation}`) : ['  <none yet>']));
  const nv = nodeViews(nodes, pods, usageList);
  out.push('', 'Nodes:', ...nodeRows(nv));
  const all = caView(cm, 1000).decisions;
  const notes = nv.flatMap((n) => {
    const d = lastDecisionAbout(n.name, all);
    const ev = eventViews(nodeEvents.filter((e) => e.involvedObject.name === n.name && (e.source?.component ?? e.reportingComponent ?? '').includes('autoscaler')), 1)[0];
    return [...(d ? [`  ${n.name}: ${d.time} ${d.kind}: ${d.explanation}`] : []), ...(ev ? [`  ${n.name}: ${ev.time} ${ev.reason}: ${ev.message}`] : [])];
  });
  out.push('', 'What the cluster autoscaler said about each node:', ...(notes.length > 0 ? notes : ['  nothing: no node is a scale-down candidate']));
  for (const line of out) io.out(line);
  return 0;
}

export async function explain(client: KubeClient, argv: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(argv, options);
  const [what, ...names] = positionals;
  switch (what) {
    case 'hpa':
    case 'hpas':
    case 'horizontalpodautoscaler':
    case 'horizontalpodautoscalers':
      return explainHpa(client, names, values.namespace ?? 'default', io, signal);
    case 'nodes':
    case 'node':
      return explainNodes(client, names, io, signal);
    default:
      throw new UsageError(usage);
  }
}
