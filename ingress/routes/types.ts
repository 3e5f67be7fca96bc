/** Shapes of the route table: what a lookup returns and what the controller must report. */
import type { PathType } from '../../core/api/index.js';
import type { CanaryAnnotations, IngressAnnotations, SafeRegex } from '../annotations/index.js';

export interface IngressRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
}

export interface EndpointAddress {
  readonly ip: string;
  readonly port: number;
  /** `ip:port`, with IPv6 addresses bracketed: ready to dial. */
  readonly address: string;
}

export interface Backend {
  readonly namespace: string;
  readonly serviceName: string;
  /** The port as the Ingress named it. */
  readonly servicePort: { readonly name?: string; readonly number?: number };
  /** Ready endpoints only (never `notReadyAddresses`), sorted by address. Empty → the proxy answers 503. */
  readonly endpoints: readonly EndpointAddress[];
  /** For an `ExternalName` Service: the DNS name to dial (at `servicePort`'s port); endpoints are then empty. */
  readonly externalName: string | undefined;
  /** False when the Service or its port does not exist (a problem was reported). */
  readonly resolved: boolean;
}

export interface CanaryRoute {
  readonly ingress: IngressRef;
  readonly backend: Backend;
  readonly policy: CanaryAnnotations;
  readonly annotations: IngressAnnotations;
}

export type MatchKind = PathType | 'Regex' | 'DefaultBackend';

/** One routable path, shared (frozen) by every lookup that lands on it. */
export interface Route {
  /** The rule's host as written (`foo.com`, `*.foo.com`), '' for rules without a host. */
  readonly host: string;
  /** The rule's path as written; '' for a default backend. For metrics labels. */
  readonly path: string;
  /** The rule's pathType, or 'DefaultBackend'. For metrics labels. */
  readonly pathType: PathType | 'DefaultBackend';
  /** How it matched: ImplementationSpecific rules report 'Prefix' or 'Regex'. */
  readonly matchKind: MatchKind;
  readonly ingress: IngressRef;
  readonly backend: Backend;
  readonly annotations: IngressAnnotations;
  readonly canary: CanaryRoute | undefined;
  /** Present only for 'Regex' routes: the anchored, case-insensitive pattern. */
  readonly regex: SafeRegex | undefined;
}

export interface RouteMatch extends Route {
  /** Capture groups of a regex match (`$1` is index 0); empty otherwise. */
  readonly captures: readonly string[];
}

export interface TlsCertificate {
  /** PEM, decoded from the Secret's base64 `tls.crt`. */
  readonly cert: string;
  /** PEM, decoded from the Secret's base64 `tls.key`. */
  readonly key: string;
  readonly secret: { readonly namespace: string; readonly name: string };
  /** The `spec.tls` host it was configured for (possibly `*.foo.com`). */
  readonly host: string;
}

export type RouteProblemReason =
  | 'Conflict'
  | 'InvalidAnnotation'
  | 'UnsupportedAnnotation'
  | 'InvalidHost'
  | 'InvalidPath'
  | 'InvalidBackend'
  | 'ServiceNotFound'
  | 'ServicePortNotFound'
  | 'CanaryWithoutPrimary'
  | 'TLSSecretNotFound'
  | 'TLSSecretInvalid';

/** Something the controller reports as a Warning event on `ingress`. */
export interface RouteProblem {
  readonly ingress: IngressRef;
  readonly reason: RouteProblemReason;
  readonly message: string;
}

/** Not handled by this controller: it gets no status and no events. */
export interface IgnoredIngress {
  readonly ingress: IngressRef;
  readonly reason: string;
}
