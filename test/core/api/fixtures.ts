/** Fixture builders for core/api tests. */
import type { Deployment, KubeObject, Pod, Service } from '../../../core/api/index.js';

export function makePod(name = 'web'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  };
}

export function makeDeployment(name = 'web'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'app',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
          }],
        },
      },
    },
  };
}

export function makeService(name = 'web'): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

/** Applies `edit` to a deep copy of `base` and returns the copy. */
export function edit<T extends KubeObject>(base: T, change: (o: T) => void): T {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}
