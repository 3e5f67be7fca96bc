/** A minimal protobuf encoder for test fixtures (the Kubernetes `k8s\0` envelope included). */

export function varint(n: number | bigint): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}
export const bytesField = (no: number, b: Buffer | string): Buffer => {
  const buf = Buffer.isBuffer(b) ? b : Buffer.from(b);
  return Buffer.concat([varint((no << 3) | 2), varint(buf.length), buf]);
};
export const intField = (no: number, n: number | bigint): Buffer => Buffer.concat([varint(no << 3), varint(n)]);
export const msg = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
export const entry = (no: number, k: string, v: string): Buffer => bytesField(no, msg(bytesField(1, k), bytesField(2, v)));

export function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([Buffer.from('k8s\0'), bytesField(1, msg(bytesField(1, apiVersion), bytesField(2, kind))), bytesField(2, raw)]);
}
