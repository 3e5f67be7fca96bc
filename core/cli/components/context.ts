/**
 * What `skiff up` hands each optional component (cloud, ingress, autoscalers, dashboard) when
 * it starts it: the API client and shared informers, the flags, and a place to register
 * shutdown steps. Components are API clients like every other; they never see the store.
 */
import type { Registry } from 'prom-client';
import type { EventRecorder, KubeClient, SharedInformerFactory } from '../../client/index.js';
import type { CloudProvider } from '../../cloud/index.js';
import type { Clock, Logger } from '../../util/index.js';
import type { LocalNodes } from '../local-nodes.js';
import type { UpConfig } from '../up-config.js';

export type Step = () => Promise<unknown> | unknown;

export interface UpContext {
  cfg: UpConfig;
  dataDir: string;
  /** Where skiff's running code lives (codeRoot(): dist/ when compiled): examples/demo is read from here. */
  codeRoot: string;
  apiUrl: string;
  kubeconfig: string;
  token: string;
  client: KubeClient;
  informers: SharedInformerFactory;
  /** An event recorder reporting as `component`. */
  recorder(component: string): EventRecorder;
  clock: Clock;
  log: Logger;
  signal: AbortSignal;
  /** The control plane's own metrics, served at the API server's `/metrics`. */
  metrics: Registry;
  /** The in-process local nodes (absent with --nodes 0). */
  nodes: LocalNodes | undefined;
  /** This skiff's address slot (core/cli/slot.ts): local nodes at 127.1.S.i, fake load balancers at 127.2.S.x. */
  slot?: number;
  /** The ingress proxy's bound ports, once the ingress component runs. */
  ingress?: { httpPort: number; httpsPort: number };
  /** The dashboard's URL, once the dashboard component runs. */
  dashboardUrl?: string;
  /** The cloud provider (instrumented), once the cloud component has opened it. */
  cloud?: CloudProvider;
  /** Registers a shutdown step; steps run last-registered first, before the API server closes. */
  onShutdown(step: Step): void;
  /** One short progress line for the user (long steps say what they wait for). */
  progress(line: string): void;
}
