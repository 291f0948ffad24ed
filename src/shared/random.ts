/**
 * Seeded pseudo-random numbers. Every random choice the product makes (user subset,
 * negative samples, candidate draws, weight init) goes through here so that the same
 * seed gives the same result in the app, the tests and the benchmarks.
 */

/** A 32-bit integer hash with good avalanche (the finaliser of MurmurHash3). */
export function hash32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a pair, used where a choice must not depend on the order items are seen in. */
export function hash32Pair(a: number, b: number): number {
  return hash32(hash32(a) ^ Math.imul(b | 0, 0x9e3779b1));
}

/**
 * Small, fast generator (mulberry32). Not cryptographic; statistically fine for sampling.
 * `nextUint32` and `nextFloat` are the hot paths of negative sampling.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = hash32(seed ^ 0x6d2b79f5) | 0;
  }

  nextUint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** Standard normal (Box-Muller), for weight initialisation. */
  nextGaussian(): number {
    let u = 0;
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle of the first `length` entries, in place. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T, length = a.length): T {
    for (let i = length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
