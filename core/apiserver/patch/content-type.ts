/** Maps a PATCH request's Content-Type to the patch type the API server applies. */

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const byMediaType: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/**
 * The patch type for a Content-Type header (parameters such as `; charset=utf-8` and case
 * are ignored), or `undefined` when it is not a patch type — the server answers 415.
 * Note: `apply-patch+cbor` maps to 'apply' but its body is CBOR, which the caller must decode.
 */
export function patchTypeFromContentType(contentType: string | undefined): PatchType | undefined {
  if (!contentType) return undefined;
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return byMediaType[mediaType];
}
