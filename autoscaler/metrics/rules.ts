/**
 * prometheus-adapter style rules: naming (`name.matches` → `name.as`), resource ↔ label mapping
 * (`resources.overrides` / `resources.template`) and the `metricsQuery` template with `<<.Series>>`,
 * `<<.LabelMatchers>>` and `<<.GroupBy>>`. Pure.
 */
import type { LabelSelector } from '../../core/api/index.js';

export interface PrometheusRule {
  /** A series selector, e.g. `http_requests_total{namespace!="",pod!=""}`. */
  seriesQuery: string;
  resources?: {
    /** Label name → the Kubernetes resource it holds, e.g. `{ namespace: { resource: 'namespace' } }`. */
    overrides?: Record<string, { resource: string; group?: string }>;
    /** Label name for any resource, e.g. `kube_<<.Resource>>`. */
    template?: string;
  };
  /** Go-regex naming; `as` defaults to `$1` when `matches` has a group, else the whole name. */
  name?: { matches?: string; as?: string };
  metricsQuery: string;
  /** External metrics: add the namespace matcher (default true when a namespace label is mapped). */
  namespaced?: boolean;
}

/** The literal metric name at the start of a series query, if it has one. */
export function literalSeriesName(seriesQuery: string): string | undefined {
  return /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(seriesQuery)?.[1];
}

/** The metric name a rule gives `series`, or undefined when `name.matches` does not match. */
export function metricNameFor(rule: PrometheusRule, series: string): string | undefined {
  const matches = rule.name?.matches ?? '';
  if (matches === '') return rule.name?.as ? rule.name.as.replace(/\$\{?0\}?/g, series) : series;
  let re: RegExp;
  try {
    re = new RegExp(matches);
  } catch {
    return undefined;
  }
  const m = re.exec(series);
  if (!m) return undefined;
  const as = rule.name?.as ?? (m.length > 1 ? '$1' : '$0');
  return as.replace(/\$\{(\w+)\}|\$(\d+)/g, (_all, braced: string | undefined, digits: string | undefined) => {
    const ref = braced ?? digits ?? '';
    const v = /^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref];
    return v ?? '';
  });
}

const norm = (r: string): string => r.toLowerCase().replace(/s$/, '');

/** The label holding `resource` (singular or plural, any case) under the rule's overrides or template. */
export function labelForResource(rule: PrometheusRule, resource: string): string | undefined {
  for (const [label, o] of Object.entries(rule.resources?.overrides ?? {})) {
    if (norm(o.resource) === norm(resource)) return label;
  }
  const t = rule.resources?.template;
  return t ? t.replace(/<<\.Resource>>/g, norm(resource)) : undefined;
}

const quote = (v: string): string => JSON.stringify(v);
const escapeRegex = (v: string): string => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** PromQL label matchers for a Kubernetes label selector (matchLabels and matchExpressions). */
export function selectorMatchers(selector: LabelSelector | undefined): string[] {
  if (!selector) return [];
  const out = Object.keys(selector.matchLabels ?? {}).sort().map((k) => `${k}=${quote(selector.matchLabels?.[k] ?? '')}`);
  for (const e of selector.matchExpressions ?? []) {
    const alt = (e.values ?? []).map(escapeRegex).join('|');
    if (e.operator === 'In') out.push(`${e.key}=~${quote(alt)}`);
    else if (e.operator === 'NotIn') out.push(`${e.key}!~${quote(alt)}`);
    else if (e.operator === 'Exists') out.push(`${e.key}!=""`);
    else if (e.operator === 'DoesNotExist') out.push(`${e.key}=""`);
  }
  return out;
}

/** Substitutes `<<.Series>>`, `<<.LabelMatchers>>` and `<<.GroupBy>>` in a metricsQuery. */
export function renderQuery(template: string, v: { series: string; labelMatchers: readonly string[]; groupBy: readonly string[] }): string {
  return template
    .replace(/<<\s*\.Series\s*>>/g, v.series)
    .replace(/<<\s*\.LabelMatchers\s*>>/g, v.labelMatchers.join(','))
    .replace(/<<\s*\.GroupBy\s*>>/g, v.groupBy.join(','));
}
