/**
 * The route table: pure functions from Ingress, IngressClass, Service, Endpoints and Secret objects to an
 * immutable host → path → backend table, plus request-path normalisation, canary choice and rewriting.
 */
export { buildRouteTable, type RouteTableInput, type RouteTableBuild } from './routes/build.js';
export { RouteTable, DEFAULT_NOT_FOUND } from './routes/table.js';
export { normalizePath, type NormalizedPath } from './routes/path.js';
export { normalizeHost } from './routes/host.js';
export { chooseBackend, type CanaryRequest, type BackendChoice } from './routes/canary.js';
export { rewritePath } from './routes/rewrite.js';
export { needsHttpsRedirect } from './routes/redirect.js';
export {
  DEFAULT_CONTROLLER_NAME, LEGACY_CLASS_ANNOTATION, DEFAULT_CLASS_ANNOTATION, selectIngresses, compareAge,
  type ClassSelection, type ClassOptions,
} from './routes/classes.js';
export type * from './routes/types.js';
