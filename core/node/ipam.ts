/** Per-node pod IPs from a /16 (prefix `127.N`) or a /24 (prefix `127.N.M`) of 127.0.0.0/8. */

export class PodIPs {
  private readonly used = new Map<string, string>(); // uid → ip
  private readonly taken = new Set<string>();
  private next = 2;

  private readonly size: number;

  /** `prefix` is the first two octets (`127.101`, a /16) or three (`127.101.1`, a /24). */
  constructor(private readonly prefix: string) {
    if (!/^127\.\d{1,3}(\.\d{1,3})?$/.test(prefix)) throw new Error(`pod IP prefix must look like 127.N or 127.N.M, got ${prefix}`);
    this.size = prefix.split('.').length === 3 ? 256 : 65_536;
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
    for (let i = 0; i < this.size; i++) {
      const n = this.next;
      this.next = this.next >= this.size - 3 ? 2 : this.next + 1;
      const ip = this.size === 256 ? `${this.prefix}.${n}` : `${this.prefix}.${n >> 8}.${n & 255}`;
      if ((n & 255) === 0 || (n & 255) === 255 || this.taken.has(ip)) continue;
      return this.hold(uid, ip);
    }
    throw new Error(`no free pod IPs in ${this.prefix}${this.size === 256 ? '.0/24' : '.0.0/16'}`);
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
