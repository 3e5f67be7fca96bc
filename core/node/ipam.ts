/** Per-node pod IPs from a /16 of 127.0.0.0/8 (e.g. 127.101.0.0/16 for the first node). */

export class PodIPs {
  private readonly used = new Map<string, string>(); // uid → ip
  private readonly taken = new Set<string>();
  private next = 2;

  /** `prefix` is the first two octets, e.g. `127.101`. */
  constructor(private readonly prefix: string) {
    if (!/^127\.\d{1,3}$/.test(prefix)) throw new Error(`pod IP prefix must look like 127.N, got ${prefix}`);
  }

  /** Whether `ip` belongs to this node's range. */
  owns(ip: string): boolean {
    return ip.startsWith(this.prefix + '.');
  }

  /** Keeps an IP a pod already had (after an agent restart) or allocates the next free one. */
  allocate(uid: string, previous?: string): string {
    const have = this.used.get(uid);
    if (have) return have;
    if (previous && this.owns(previous) && !this.taken.has(previous)) return this.hold(uid, previous);
    for (let i = 0; i < 65_000; i++) {
      const n = this.next;
      this.next = this.next >= 65_533 ? 2 : this.next + 1;
      const ip = `${this.prefix}.${n >> 8}.${n & 255}`;
      if ((n & 255) === 0 || (n & 255) === 255 || this.taken.has(ip)) continue;
      return this.hold(uid, ip);
    }
    throw new Error(`no free pod IPs in ${this.prefix}.0.0/16`);
  }

  private hold(uid: string, ip: string): string {
    this.used.set(uid, ip);
    this.taken.add(ip);
    return ip;
  }

  release(uid: string): void {
    const ip = this.used.get(uid);
    if (ip) this.taken.delete(ip);
    this.used.delete(uid);
  }
}
