/** ingress/annotations: typed, validated `nginx.ingress.kubernetes.io/*` annotations. */
export * from './types.js';
export { parseAnnotations, DEFAULT_ANNOTATIONS } from './parse.js';
