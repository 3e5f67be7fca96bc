/** Which Ingresses belong to this controller, and in which order they claim routes. Pure. */
import type { Ingress, IngressClass } from '../../core/api/index.js';
import type { IgnoredIngress, IngressRef } from './types.js';

export const DEFAULT_CONTROLLER_NAME = 'skiff.dev/ingress-controller';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export interface ClassSelection {
  /** Ours, oldest first (creationTimestamp, then namespace/name): the order in which routes are claimed. */
  readonly ours: readonly Ingress[];
  readonly ignored: readonly IgnoredIngress[];
}

export function refOf(ing: Ingress): IngressRef {
  const ref = { namespace: ing.metadata.namespace ?? 'default', name: ing.metadata.name ?? '' };
  return Object.freeze(ing.metadata.uid === undefined ? ref : { ...ref, uid: ing.metadata.uid });
}

function timeOf(obj: { metadata: { creationTimestamp?: string } }): number {
  const t = Date.parse(obj.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Oldest first; ties (and missing timestamps) broken by namespace then name. */
export function compareAge(a: Ingress, b: Ingress): number {
  const ta = timeOf(a);
  const tb = timeOf(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace ?? 'default'}/${a.metadata.name ?? ''}`;
  const kb = `${b.metadata.namespace ?? 'default'}/${b.metadata.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The default IngressClass as the DefaultIngressClass admission plugin picks it: the newest marked one. */
function defaultClass(classes: readonly IngressClass[]): IngressClass | undefined {
  let best: IngressClass | undefined;
  for (const c of classes) {
    if (c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] !== 'true') continue;
    if (best === undefined || timeOf(c) > timeOf(best)
      || (timeOf(c) === timeOf(best) && (c.metadata.name ?? '') < (best.metadata.name ?? ''))) best = c;
  }
  return best;
}

export interface ClassOptions {
  readonly controllerName: string;
  readonly watchIngressWithoutClass: boolean;
}

/** Why `ing` is not ours, or undefined when it is. */
function notOursReason(ing: Ingress, byName: ReadonlyMap<string, IngressClass>, dflt: IngressClass | undefined,
  opts: ClassOptions): string | undefined {
  const ours = (c: IngressClass | undefined): boolean => c?.spec?.controller === opts.controllerName;
  const legacy = ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  const named = legacy ?? ing.spec?.ingressClassName;
  if (named !== undefined && named !== '') {
    const cls = byName.get(named);
    if (cls === undefined) return `IngressClass "${named}" does not exist`;
    return ours(cls) ? undefined : `IngressClass "${named}" belongs to controller "${cls.spec?.controller ?? ''}"`;
  }
  if (opts.watchIngressWithoutClass || ours(dflt)) return undefined;
  return dflt === undefined ? 'no class and no default IngressClass'
    : `no class, and the default IngressClass "${dflt.metadata.name ?? ''}" is not ours`;
}

/**
 * Splits Ingresses into ours and ignored. The legacy `kubernetes.io/ingress.class` annotation, when present,
 * names the IngressClass (as ingress-nginx lets it win over `spec.ingressClassName`); Ingresses with neither
 * are ours when the default IngressClass is ours, or always with `watchIngressWithoutClass` (ingress-nginx's
 * `--watch-ingress-without-class`).
 * Ingresses being deleted are ignored.
 */
export function selectIngresses(ingresses: readonly Ingress[], classes: readonly IngressClass[],
  opts: ClassOptions): ClassSelection {
  const byName = new Map(classes.map((c) => [c.metadata.name ?? '', c] as const));
  const dflt = defaultClass(classes);
  const ours: Ingress[] = [];
  const ignored: IgnoredIngress[] = [];
  for (const ing of ingresses) {
    const reason = ing.metadata.deletionTimestamp !== undefined ? 'being deleted' : notOursReason(ing, byName, dflt, opts);
    if (reason === undefined) ours.push(ing);
    else ignored.push(Object.freeze({ ingress: refOf(ing), reason }));
  }
  ours.sort(compareAge);
  return { ours, ignored };
}
