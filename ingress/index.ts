/** ingress: the HTTP ingress controller — route table (pure), annotations, and (later) proxy, controller, metrics. */
export * from './routes.js';
export * from './annotations/index.js';
