/**
 * A sorted set of strings stored as a list of small sorted chunks, so that inserting or
 * removing a key costs O(chunk size + chunks) instead of moving one huge array, and a
 * range scan from any key stays cheap.
 */
const maxChunk = 512;

function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedKeys {
  private chunks: string[][] = [];

  constructor(initial: Iterable<string> = []) {
    const all = [...new Set(initial)].sort();
    for (let i = 0; i < all.length; i += maxChunk / 2) this.chunks.push(all.slice(i, i + maxChunk / 2));
  }

  /** Index of the chunk that holds `key` or where it would go. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid] ?? [];
      if ((chunk[chunk.length - 1] ?? '') < key) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(lo, this.chunks.length - 1);
  }

  insert(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci] ?? [];
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) return;
    chunk.splice(i, 0, key);
    if (chunk.length > maxChunk) this.chunks.splice(ci, 1, chunk.slice(0, maxChunk / 2), chunk.slice(maxChunk / 2));
  }

  remove(key: string): void {
    if (this.chunks.length === 0) return;
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci] ?? [];
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(ci, 1);
  }

  /** Keys >= `from` in order. */
  *from(from: string): Generator<string> {
    if (this.chunks.length === 0) return;
    let ci = this.chunkFor(from);
    let i = lowerBound(this.chunks[ci] ?? [], from);
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci] ?? [];
      for (; i < chunk.length; i++) yield chunk[i] ?? '';
    }
  }
}
