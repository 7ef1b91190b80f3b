/** Serialisable state of an {@link Rng}: enough to continue the exact same stream. */
export interface RngState {
  /** The root seed the generator family was created from. */
  seed: number;
  /** Labels of the `split` calls that led from the root to this generator. */
  path: string[];
  /** xoshiro128** words. */
  s: [number, number, number, number];
  /** Cached second Box–Muller normal, if any. */
  spare: number | null;
}

const TWO_POW_32 = 4294967296;

function hashString(text: string, h: number): number {
  // FNV-1a over UTF-16 code units, then a murmur3 finaliser.
  let x = h >>> 0;
  for (let i = 0; i < text.length; i++) {
    x ^= text.charCodeAt(i);
    x = Math.imul(x, 16777619) >>> 0;
  }
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

function splitmix32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function deriveWords(seed: number, path: readonly string[]): [number, number, number, number] {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  let h = hashString(`${lo}:${hi}`, 2166136261);
  for (const label of path) h = hashString(label, h ^ 0x9e3779b9);
  const mix = splitmix32(h ^ lo);
  const words: [number, number, number, number] = [mix(), mix(), mix(), mix()];
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return words;
}

/**
 * Seeded, splittable pseudo-random generator (xoshiro128**), the only source of randomness in paperlab.
 * `split(label)` derives an independent child from the seed path, not from the stream position, so a
 * sweep cell gets the same numbers whatever ran before it.
 */
export class Rng {
  readonly seed: number;
  readonly path: readonly string[];
  private s: [number, number, number, number];
  private spare: number | null = null;

  /** Creates a generator from a non-negative integer seed (and optional split path). */
  constructor(seed: number, path: readonly string[] = []) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`Rng seed must be a non-negative safe integer, got ${seed}`);
    }
    this.seed = seed;
    this.path = [...path];
    this.s = deriveWords(seed, this.path);
  }

  /** Restores a generator from {@link Rng.state}. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(state.seed, state.path);
    rng.s = [state.s[0] >>> 0, state.s[1] >>> 0, state.s[2] >>> 0, state.s[3] >>> 0];
    rng.spare = state.spare;
    return rng;
  }

  /** A snapshot of the stream position, for checkpoints. */
  state(): RngState {
    return { seed: this.seed, path: [...this.path], s: [...this.s], spare: this.spare };
  }

  /** Moves this generator to a snapshot taken from the same family. */
  restore(state: RngState): void {
    this.s = [state.s[0] >>> 0, state.s[1] >>> 0, state.s[2] >>> 0, state.s[3] >>> 0];
    this.spare = state.spare;
  }

  /** An independent child generator named by `label` (same seed + path + label → same stream). */
  split(label: string | number): Rng {
    return new Rng(this.seed, [...this.path, String(label)]);
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    if (n <= TWO_POW_32) {
      // Lemire-style rejection to avoid modulo bias.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      for (;;) {
        const x = this.nextUint32();
        if (x < limit) return x % n;
      }
    }
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box–Muller, the spare value cached in the state). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return mean + std * v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** `n` normals as a Float32Array. */
  normals(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** `n` uniforms in [lo, hi) as a Float32Array. */
  uniforms(n: number, lo = 0, hi = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * this.uniform();
    return out;
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }

  /** Index drawn from unnormalised non-negative weights. */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    if (!(total > 0)) throw new RangeError('Rng.categorical needs positive total weight');
    let u = this.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** A 31-bit integer seed, for APIs that take one (prefer drawing numbers from this Rng). */
  seedInt(): number {
    return this.nextUint32() >>> 1;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
