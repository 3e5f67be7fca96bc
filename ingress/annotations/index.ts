/** ingress/annotations: typed, validated `nginx.ingress.kubernetes.io/*` annotations. */
export * from './types.js';
export { compileRegex, MAX_REGEX_INPUT, type SafeRegex } from './regex.js';
export { parseAnnotations, DEFAULT_ANNOTATIONS } from './parse.js';
/** Shortens untrusted text and replaces control characters before it goes into an event message. */
export { clip as clipForMessage } from './values.js';
