/** Short human renderings of CPU (millicores) and memory (bytes) for explanations. Pure. */

export function formatCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

export function formatMemory(bytes: number): string {
  const units: [string, number][] = [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [u, n] of units) if (bytes >= n && bytes % n === 0) return `${bytes / n}${u}`;
  for (const [u, n] of units) if (bytes >= n) return `${(bytes / n).toFixed(1)}${u}`;
  return String(bytes);
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}
