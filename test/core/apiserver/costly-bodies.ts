/** Builders for request bodies whose cost would explode: deep nesting and patches that deepen or grow the document. */

/** `n` levels of `open`, then the matching `close`s (`'['`/`']'`, or `'{"a":'`/`'}'`). */
export function deepNesting(n: number, open: string, close: string): string {
  const leaf = open === '[' ? '' : '1';
  return open.repeat(n) + leaf + close.repeat(n);
}

/** `n` objects nested in one another: `{ a: { a: … {} } }`. */
export function chain(n: number): Record<string, unknown> {
  let v: Record<string, unknown> = {};
  for (let i = 1; i < n; i++) v = { a: v };
  return v;
}

const pointer = (tokens: readonly string[]): string => `/${tokens.join('/')}`;

/**
 * A JSON patch that doubles the nesting of `/A` every round with a copy and two moves (the copy
 * adds only the chain's few bytes, so no size limit stops it): from a `start`-deep chain,
 * `start × 2^rounds` deep.
 */
export function deepeningPatch(rounds: number, start = 90): unknown[] {
  let inner = Array.from({ length: start - 1 }, () => 'a'); // path to the innermost object of /A
  const ops: unknown[] = [{ op: 'add', path: '/A', value: chain(start) }];
  for (let r = 0; r < rounds; r++) {
    ops.push({ op: 'copy', from: '/A', path: '/B' });
    ops.push({ op: 'move', from: '/A', path: pointer(['B', ...inner, 'n']) });
    ops.push({ op: 'move', from: '/B', path: '/A' });
    inner = [...inner, 'n', ...inner];
  }
  return ops;
}

/** A JSON patch whose `copies` copy ops each double `/metadata/annotations`. */
export function doublingPatch(copies: number, seedBytes = 50): unknown[] {
  const ops: unknown[] = [{ op: 'add', path: '/metadata/annotations', value: { seed: 'x'.repeat(seedBytes) } }];
  for (let i = 0; i < copies; i++) ops.push({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/c${i}` });
  return ops;
}

/** `n` levels of objects and arrays, alternating as `pick` says, around a string leaf. */
export function nested(n: number, pick: () => boolean): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < n; i++) v = pick() ? { a: v } : [v];
  return v;
}

/**
 * A random JSON patch that grows `/A` (a 3-deep chain to start): doubling copies, deepening
 * rounds of copy-and-move, and small adds, `steps` of them in all.
 */
export function growthPatch(steps: number, random: () => number): unknown[] {
  let inner = ['a', 'a'];
  const ops: unknown[] = [{ op: 'add', path: '/A', value: chain(3) }];
  for (let i = 0; i < steps; i++) {
    const r = random();
    if (r < 0.4) {
      ops.push({ op: 'copy', from: '/A', path: `/A/c${i}` });
    } else if (r < 0.8) {
      ops.push({ op: 'copy', from: '/A', path: '/B' }, { op: 'move', from: '/A', path: pointer(['B', ...inner, `n${i}`]) }, { op: 'move', from: '/B', path: '/A' });
      inner = [...inner, `n${i}`, ...inner];
    } else {
      ops.push({ op: 'add', path: `/A/x${i}`, value: 'y'.repeat(Math.floor(random() * 1000)) });
    }
  }
  return ops;
}

/** Nesting of objects and arrays in a decoded value (iterative). */
export function depthOf(v: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[v, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, d] = top;
    if (typeof node !== 'object' || node === null) continue;
    max = Math.max(max, d);
    for (const child of Object.values(node)) stack.push([child, d + 1]);
  }
  return max;
}
