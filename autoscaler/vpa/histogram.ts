/**
 * Histograms of the VPA recommender (vertical-pod-autoscaler/pkg/recommender/util): exponential bucket
 * options, a weighted bucket histogram, and a decaying histogram whose sample weights double every half-life.
 */

/** Exponentially growing buckets: bucket n starts at first·(ratioⁿ − 1)/(ratio − 1); the last start is ≥ maxValue. */
export class ExponentialBuckets {
  readonly numBuckets: number;
  constructor(readonly maxValue: number, readonly firstBucketSize: number, readonly ratio: number, readonly epsilon: number) {
    if (!(maxValue > 0 && firstBucketSize > 0 && ratio > 1 && epsilon > 0)) {
      throw new RangeError('maxValue, firstBucketSize and epsilon must be > 0.0, ratio must be > 1.0');
    }
    this.numBuckets = Math.ceil(Math.log((maxValue * (ratio - 1)) / firstBucketSize + 1) / Math.log(ratio)) + 1;
  }

  /** The bucket a value falls into; values outside the range go to the first or last bucket. */
  findBucket(value: number): number {
    if (value < this.firstBucketSize) return 0;
    const bucket = Math.trunc(Math.log((value * (this.ratio - 1)) / this.firstBucketSize + 1) / Math.log(this.ratio));
    return Math.min(bucket, this.numBuckets - 1);
  }

  bucketStart(bucket: number): number {
    if (bucket < 0 || bucket >= this.numBuckets) throw new RangeError(`index ${bucket} out of range [0..${this.numBuckets - 1}]`);
    if (bucket === 0) return 0;
    return (this.firstBucketSize * (this.ratio ** bucket - 1)) / (this.ratio - 1);
  }
}

/** Bucket weights; percentiles return the end of the bucket that reaches the percentile (no interpolation). */
export class Histogram {
  protected readonly weights: number[];
  protected total = 0;
  protected minBucket: number;
  protected maxBucket = 0;

  constructor(readonly buckets: ExponentialBuckets) {
    this.weights = new Array<number>(buckets.numBuckets).fill(0);
    this.minBucket = buckets.numBuckets - 1;
  }

  get totalWeight(): number {
    return this.total;
  }

  addSample(value: number, weight: number, _timestamp = 0): void {
    if (weight < 0) throw new RangeError('sample weight must be non-negative');
    const b = this.buckets.findBucket(value);
    this.weights[b] = (this.weights[b] ?? 0) + weight;
    this.total += weight;
    const w = this.weights[b] ?? 0;
    if (b < this.minBucket && w >= this.buckets.epsilon) this.minBucket = b;
    if (b > this.maxBucket && w >= this.buckets.epsilon) this.maxBucket = b;
  }

  subtractSample(value: number, weight: number, _timestamp = 0): void {
    if (weight < 0) throw new RangeError('sample weight must be non-negative');
    const b = this.buckets.findBucket(value);
    const current = this.weights[b] ?? 0;
    const w = weight > current - this.buckets.epsilon ? current : weight;
    this.total -= w;
    this.weights[b] = current - w;
    this.updateMinAndMax();
  }

  isEmpty(): boolean {
    return (this.weights[this.minBucket] ?? 0) < this.buckets.epsilon;
  }

  /** The given percentile (0..1) of the distribution; 0 when empty. */
  percentile(p: number): number {
    if (this.isEmpty()) return 0;
    const threshold = p * this.total;
    let partial = 0;
    let bucket = this.minBucket;
    for (; bucket < this.maxBucket; bucket++) {
      partial += this.weights[bucket] ?? 0;
      if (partial >= threshold) break;
    }
    return bucket < this.buckets.numBuckets - 1 ? this.buckets.bucketStart(bucket + 1) : this.buckets.bucketStart(bucket);
  }

  /** Multiplies every weight by a non-negative factor (percentiles are unchanged). */
  protected scale(factor: number): void {
    if (factor < 0) throw new RangeError('scale factor must be non-negative');
    for (let b = this.minBucket; b <= this.maxBucket; b++) this.weights[b] = (this.weights[b] ?? 0) * factor;
    this.total *= factor;
    this.updateMinAndMax();
  }

  private updateMinAndMax(): void {
    const last = this.buckets.numBuckets - 1;
    while ((this.weights[this.minBucket] ?? 0) < this.buckets.epsilon && this.minBucket < last) this.minBucket++;
    while ((this.weights[this.maxBucket] ?? 0) < this.buckets.epsilon && this.maxBucket > 0) this.maxBucket--;
  }
}

/** Go's zero `time.Time` (0001-01-01T00:00:00Z) in epoch milliseconds: the decaying histogram's initial reference. */
export const GO_ZERO_TIME_MS = -62135596800000;
const MAX_DECAY_EXPONENT = 100;

/** Rounds `t` to the nearest multiple of `d` since Go's zero time, halfway up (Go's `Time.Round`). */
function roundToMultiple(t: number, d: number): number {
  const since = t - GO_ZERO_TIME_MS;
  let q = Math.floor(since / d);
  if (2 * (since - q * d) >= d) q++;
  return GO_ZERO_TIME_MS + q * d;
}

/**
 * A histogram whose sample weight is multiplied by 2^((t − reference)/halfLife), so a sample one half-life
 * older counts half. The reference moves forward (rescaling all weights) when exponents would exceed 100.
 */
export class DecayingHistogram extends Histogram {
  private reference = GO_ZERO_TIME_MS;

  constructor(buckets: ExponentialBuckets, readonly halfLifeMs: number) {
    super(buckets);
  }

  get referenceTimestamp(): number {
    return this.reference;
  }

  override addSample(value: number, weight: number, timestamp: number): void {
    super.addSample(value, weight * this.decayFactor(timestamp), timestamp);
  }

  override subtractSample(value: number, weight: number, timestamp: number): void {
    super.subtractSample(value, weight * this.decayFactor(timestamp), timestamp);
  }

  private shiftReference(newReference: number): void {
    const rounded = roundToMultiple(newReference, this.halfLifeMs);
    const exponent = Math.floor((this.reference - rounded) / this.halfLifeMs + 0.5);
    this.scale(2 ** exponent);
    this.reference = rounded;
  }

  private decayFactor(timestamp: number): number {
    if (timestamp > this.reference + this.halfLifeMs * MAX_DECAY_EXPONENT) this.shiftReference(timestamp);
    return 2 ** ((timestamp - this.reference) / this.halfLifeMs);
  }
}
