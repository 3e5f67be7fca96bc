/** Builds the immutable route table from cluster objects. Pure: no I/O, no clock, no randomness. */
import type { Endpoints, HTTPIngressPath, Ingress, IngressBackend, IngressClass, Secret, Service } from '../../core/api/index.js';
import { clipForMessage, parseAnnotations, type IngressAnnotations, type ParsedAnnotations } from '../annotations/index.js';
import { BackendResolver } from './backends.js';
import { DEFAULT_CONTROLLER_NAME, refOf, selectIngresses } from './classes.js';
import { parseRuleHost } from './host.js';
import { HostRoutesBuilder, type HostRoutes } from './host-routes.js';
import { compileRulePath, pathKey, type RulePath } from './rule-path.js';
import { RouteTable } from './table.js';
import { buildTls } from './tls.js';
import type { IgnoredIngress, IngressRef, Route, RouteMatch, RouteProblem } from './types.js';

export interface RouteTableInput {
  readonly ingresses: readonly Ingress[];
  readonly ingressClasses: readonly IngressClass[];
  readonly services: readonly Service[];
  readonly endpoints: readonly Endpoints[];
  readonly secrets: readonly Secret[];
  /** Matched against `IngressClass.spec.controller`. Default `skiff.dev/ingress-controller`. */
  readonly controllerName?: string;
  /** Take Ingresses that name no class even when no IngressClass is the default. */
  readonly watchIngressWithoutClass?: boolean;
}

export interface RouteTableBuild {
  readonly table: RouteTable;
  /** To report as Warning events on the Ingress concerned. */
  readonly problems: readonly RouteProblem[];
  /** Ingresses of other classes: give them no status and no events. */
  readonly ignored: readonly IgnoredIngress[];
  /** Ingresses this controller serves (oldest first): give them status. */
  readonly accepted: readonly IngressRef[];
}

const NO_CAPTURES: readonly string[] = Object.freeze([]);
type OkPath = Extract<RulePath, { ok: true }>;
interface Parsed { ing: Ingress; ref: IngressRef; ann: IngressAnnotations; memo: IngressMemo }

/**
 * What depends on one Ingress alone (its ref, parsed annotations, compiled rule paths), kept between builds
 * for the same object while its resourceVersion is unchanged: informers hand out the same frozen object until
 * it changes. Objects without a resourceVersion (not from the API) are never memoised.
 */
interface IngressMemo {
  readonly rv: string | undefined;
  readonly ref: IngressRef;
  readonly ann: ParsedAnnotations;
  readonly paths: Map<HTTPIngressPath, RulePath>;
}
const memos = new WeakMap<Ingress, IngressMemo>();

function memoOf(ing: Ingress): IngressMemo {
  const rv = ing.metadata.resourceVersion;
  const hit = rv === undefined ? undefined : memos.get(ing);
  if (hit !== undefined && hit.rv === rv) return hit;
  const m: IngressMemo = { rv, ref: refOf(ing), ann: parseAnnotations(ing.metadata.annotations), paths: new Map() };
  if (rv !== undefined) memos.set(ing, m);
  return m;
}

function rulePathOf(p: Parsed, hp: HTTPIngressPath): RulePath {
  let rp = p.memo.paths.get(hp);
  if (rp === undefined) {
    rp = compileRulePath(hp, p.ann);
    p.memo.paths.set(hp, rp);
  }
  return rp;
}

/** Mutable state of one build; discarded once the table is made. */
class Build {
  readonly problems: RouteProblem[] = [];
  readonly exact = new Map<string, HostRoutesBuilder>();
  readonly wildcard = new Map<string, HostRoutesBuilder>();
  readonly any = new HostRoutesBuilder();
  anyUsed = false;
  routeCount = 0;
  readonly #seen = new Set<string>();

  constructor(readonly resolver: BackendResolver) {}

  problem(ingress: IngressRef, reason: RouteProblem['reason'], message: string): void {
    const k = `${ingress.namespace}/${ingress.name}\0${reason}\0${message}`;
    if (this.#seen.has(k)) return;
    this.#seen.add(k);
    this.problems.push(Object.freeze({ ingress, reason, message }));
  }

  /**
   * The builder for a rule host, or undefined when the host is invalid (problem reported) or, unless
   * `create`, not defined yet.
   */
  hostBuilder(ref: IngressRef, host: string | undefined, create: boolean): HostRoutesBuilder | undefined {
    const h = parseRuleHost(host);
    if (!h.ok) {
      this.problem(ref, 'InvalidHost', h.message);
      return undefined;
    }
    if (h.kind === 'any') {
      if (!create && !this.anyUsed) return undefined;
      this.anyUsed = true;
      return this.any;
    }
    const map = h.kind === 'exact' ? this.exact : this.wildcard;
    const k = h.kind === 'exact' ? h.host : h.suffix;
    let b = map.get(k);
    if (b === undefined && create) map.set(k, (b = new HostRoutesBuilder()));
    return b;
  }

  /** Resolves a backend into a frozen route, or undefined (problem reported). */
  route(p: Parsed, backend: IngressBackend, fields: Pick<Route, 'host' | 'path' | 'pathType' | 'matchKind' | 'regex'>): RouteMatch | undefined {
    const r = this.resolver.resolve(p.ref.namespace, backend);
    if (!r.ok) {
      this.problem(p.ref, r.reason, r.message);
      return undefined;
    }
    if (r.problem !== undefined) this.problem(p.ref, r.problem.reason, r.problem.message);
    return Object.freeze({
      host: fields.host, path: fields.path, pathType: fields.pathType, matchKind: fields.matchKind, regex: fields.regex,
      ingress: p.ref, backend: r.backend, annotations: p.ann, canary: undefined, captures: NO_CAPTURES,
    });
  }
}

function existingAt(b: HostRoutesBuilder, rp: OkPath): RouteMatch | undefined {
  if (rp.kind === 'Regex') return b.regexAt(rp.written);
  return rp.kind === 'Exact' ? b.exact.get(rp.path) : b.prefixAt(rp.path);
}

function conflictMessage(host: string, rp: OkPath, winner: IngressRef, self: IngressRef): string {
  const where = `${clipForMessage(pathKey(rp))} on host "${host || '*'}"`;
  if (winner.namespace === self.namespace && winner.name === self.name) return `${where} is defined twice; the first one wins`;
  return `${where} is already defined by older Ingress ${winner.namespace}/${winner.name}; ignored`;
}

function addPrimary(st: Build, p: Parsed): void {
  const rules = p.ing.spec?.rules ?? [];
  const dflt = p.ing.spec?.defaultBackend;
  if (rules.length === 0 && dflt !== undefined) addCatchAllDefault(st, p, dflt);
  for (const rule of rules) {
    const b = st.hostBuilder(p.ref, rule.host, true);
    if (b === undefined) continue;
    const host = rule.host ?? '';
    if (dflt !== undefined && b.defaultRoute === undefined) {
      b.defaultRoute = st.route(p, dflt, { host, path: '', pathType: 'DefaultBackend', matchKind: 'DefaultBackend', regex: undefined });
    }
    for (const hp of rule.http?.paths ?? []) {
      const rp = rulePathOf(p, hp);
      if (!rp.ok) {
        st.problem(p.ref, 'InvalidPath', rp.message);
        continue;
      }
      const existing = existingAt(b, rp);
      if (existing !== undefined) {
        st.problem(p.ref, 'Conflict', conflictMessage(host, rp, existing.ingress, p.ref));
        continue;
      }
      const regex = rp.kind === 'Regex' ? rp.regex : undefined;
      const route = st.route(p, hp.backend, { host, path: rp.written, pathType: hp.pathType, matchKind: rp.kind, regex });
      if (route === undefined) continue;
      st.routeCount++;
      if (rp.kind === 'Regex') b.addRegex(route);
      else if (rp.kind === 'Exact') b.exact.set(rp.path, route);
      else b.setPrefix(rp.path, route);
    }
  }
}

function addCatchAllDefault(st: Build, p: Parsed, dflt: IngressBackend): void {
  st.anyUsed = true;
  const current = st.any.defaultRoute;
  if (current !== undefined) {
    st.problem(p.ref, 'Conflict', `the catch-all default backend is already defined by older Ingress ${current.ingress.namespace}/${current.ingress.name}; ignored`);
    return;
  }
  st.any.defaultRoute = st.route(p, dflt, { host: '', path: '', pathType: 'DefaultBackend', matchKind: 'DefaultBackend', regex: undefined });
}

/** Attaches a canary Ingress's paths to the primary routes with the same host and path. */
function addCanary(st: Build, p: Parsed): void {
  for (const rule of p.ing.spec?.rules ?? []) {
    const b = st.hostBuilder(p.ref, rule.host, false);
    for (const hp of rule.http?.paths ?? []) {
      const rp = rulePathOf(p, hp);
      if (!rp.ok) {
        st.problem(p.ref, 'InvalidPath', rp.message);
        continue;
      }
      const primary = b === undefined ? undefined : existingAt(b, rp);
      const where = `${clipForMessage(pathKey(rp))} on host "${rule.host ?? '*'}"`;
      if (primary === undefined) {
        st.problem(p.ref, 'CanaryWithoutPrimary', `canary ${where} has no primary route; ignored`);
        continue;
      }
      if (primary.canary !== undefined) {
        st.problem(p.ref, 'Conflict', `${where} already has canary ${primary.canary.ingress.namespace}/${primary.canary.ingress.name}; ignored`);
        continue;
      }
      const r = st.resolver.resolve(p.ref.namespace, hp.backend);
      if (!r.ok) {
        st.problem(p.ref, r.reason, r.message);
        continue;
      }
      if (r.problem !== undefined) st.problem(p.ref, r.problem.reason, r.problem.message);
      const canary = Object.freeze({ ingress: p.ref, backend: r.backend, policy: p.ann.canaryPolicy, annotations: p.ann });
      b?.replace(primary, Object.freeze({ ...primary, canary }), rp.kind === 'Regex' ? rp.written : rp.path);
    }
  }
}

function freezeHosts(m: ReadonlyMap<string, HostRoutesBuilder>): ReadonlyMap<string, HostRoutes> {
  return new Map([...m].map(([k, b]) => [k, b.freeze()] as const));
}

/**
 * Builds the route table. Ingresses claim (host, path) pairs oldest first (creationTimestamp, then
 * namespace/name); a later claim on the same pair is reported as a Conflict and dropped. Canary Ingresses
 * (`nginx.ingress.kubernetes.io/canary: "true"`) never conflict: they attach to the primary route of the same
 * host and path. Never throws on bad input: every defect becomes a problem.
 */
export function buildRouteTable(input: RouteTableInput): RouteTableBuild {
  const { ours, ignored } = selectIngresses(input.ingresses, input.ingressClasses, {
    controllerName: input.controllerName ?? DEFAULT_CONTROLLER_NAME,
    watchIngressWithoutClass: input.watchIngressWithoutClass ?? false,
  });
  const st = new Build(new BackendResolver(input.services, input.endpoints));
  const parsed: Parsed[] = ours.map((ing) => {
    const memo = memoOf(ing);
    for (const pr of memo.ann.problems) st.problem(memo.ref, pr.reason, pr.message);
    return { ing, ref: memo.ref, ann: memo.ann.annotations, memo };
  });
  for (const p of parsed) if (!p.ann.canary) addPrimary(st, p);
  for (const p of parsed) if (p.ann.canary) addCanary(st, p);
  const tls = buildTls(ours, input.secrets);
  for (const pr of tls.problems) st.problem(pr.ingress, pr.reason, pr.message);
  const table = new RouteTable({
    exactHosts: freezeHosts(st.exact),
    wildcardHosts: freezeHosts(st.wildcard),
    anyHost: st.anyUsed ? st.any.freeze() : undefined,
    tls: tls.index,
    routeCount: st.routeCount,
  });
  return Object.freeze({
    table,
    problems: Object.freeze(st.problems),
    ignored: Object.freeze([...ignored]),
    accepted: Object.freeze(parsed.map((p) => p.ref)),
  });
}
