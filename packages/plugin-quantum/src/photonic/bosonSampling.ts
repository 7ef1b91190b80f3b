import type { Rng } from '@paperlab/core';
import { sampleIndices } from '../statevector/sampling.js';
import type { ComplexMatrix } from './interferometer.js';

/**
 * Permanent of a k×k complex matrix (row-major planes) by Ryser's formula with Gray-code updates:
 * perm A = (−1)^k Σ_{S ⊆ cols} (−1)^{|S|} Πᵢ Σ_{j∈S} a_ij, in O(2^k·k). Returns [re, im].
 */
export function permanent(re: ArrayLike<number>, im: ArrayLike<number>, k: number): [number, number] {
  if (re.length !== k * k || im.length !== k * k) throw new RangeError(`permanent: need ${k}×${k} planes`);
  if (k === 0) return [1, 0];
  if (k === 1) return [re[0]!, im[0]!];
  if (k === 2) {
    // ad + bc
    return [
      re[0]! * re[3]! - im[0]! * im[3]! + re[1]! * re[2]! - im[1]! * im[2]!,
      re[0]! * im[3]! + im[0]! * re[3]! + re[1]! * im[2]! + im[1]! * re[2]!,
    ];
  }
  if (k > 30) throw new RangeError(`permanent: k = ${k} is beyond Ryser's formula here (≤ 30)`);
  const rowRe = new Float64Array(k);
  const rowIm = new Float64Array(k);
  let sumRe = 0;
  let sumIm = 0;
  let gray = 0;
  const total = 2 ** k;
  for (let s = 1; s < total; s++) {
    // Column flipped between Gray codes s−1 and s: index of the lowest set bit of s.
    const j = 31 - Math.clz32(s & -s);
    const bit = 1 << j;
    const sign = gray & bit ? -1 : 1;
    gray ^= bit;
    for (let i = 0; i < k; i++) {
      rowRe[i]! += sign * re[i * k + j]!;
      rowIm[i]! += sign * im[i * k + j]!;
    }
    let pr = rowRe[0]!;
    let pi = rowIm[0]!;
    for (let i = 1; i < k; i++) {
      const a = rowRe[i]!;
      const b = rowIm[i]!;
      const t = pr * a - pi * b;
      pi = pr * b + pi * a;
      pr = t;
    }
    // (−1)^{|S|}, |S| = popcount(gray)
    let c = gray;
    let pop = 0;
    while (c) {
      c &= c - 1;
      pop++;
    }
    if (pop & 1) {
      sumRe -= pr;
      sumIm -= pi;
    } else {
      sumRe += pr;
      sumIm += pi;
    }
  }
  const sgn = k & 1 ? -1 : 1;
  return [sgn * sumRe, sgn * sumIm];
}

/** Output patterns of n photons in m modes, as sorted mode lists (with repetition unless collision-free). */
export function outputPatterns(m: number, n: number, collisionFree = false): number[][] {
  const out: number[][] = [];
  const cur: number[] = [];
  const rec = (start: number) => {
    if (cur.length === n) {
      out.push([...cur]);
      return;
    }
    for (let j = start; j < m; j++) {
      cur.push(j);
      rec(collisionFree ? j + 1 : j);
      cur.pop();
    }
  };
  rec(0);
  return out;
}

function factorialOfMultiplicities(modes: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const x of modes) counts.set(x, (counts.get(x) ?? 0) + 1);
  let f = 1;
  for (const c of counts.values()) for (let i = 2; i <= c; i++) f *= i;
  return f;
}

/** Options of {@link bosonProbabilities}. */
export interface BosonOptions {
  /** Only patterns with at most one photon per mode (default false: all patterns). */
  collisionFree?: boolean;
  /** Distinguishable photons (a classical baseline): P = perm(|U_ts|²)/Π t!. */
  distinguishable?: boolean;
}

/** Output distribution of a linear-optical network. */
export interface BosonDistribution {
  /** Output patterns as sorted lists of occupied modes (one entry per photon). */
  patterns: number[][];
  /** Probability of each pattern. */
  probs: Float64Array;
}

/**
 * Exact output probabilities of indistinguishable photons entering an m-mode interferometer U in modes
 * `inputModes` (one entry per photon, repetition allowed): P(t) = |perm(U_{t,s})|² / (Π s! Π t!).
 */
export function bosonProbabilities(
  u: ComplexMatrix,
  inputModes: readonly number[],
  options: BosonOptions = {},
): BosonDistribution {
  const m = u.rows;
  const n = inputModes.length;
  for (const s of inputModes) {
    if (!Number.isInteger(s) || s < 0 || s >= m)
      throw new RangeError(`bosonProbabilities: input mode ${s} outside [0, ${m - 1}]`);
  }
  const patterns = outputPatterns(m, n, options.collisionFree);
  const probs = new Float64Array(patterns.length);
  const inFact = factorialOfMultiplicities(inputModes);
  const subRe = new Float64Array(n * n);
  const subIm = new Float64Array(n * n);
  patterns.forEach((t, p) => {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const e = t[i]! * m + inputModes[j]!;
        if (options.distinguishable) {
          subRe[i * n + j] = u.re[e]! ** 2 + u.im[e]! ** 2;
          subIm[i * n + j] = 0;
        } else {
          subRe[i * n + j] = u.re[e]!;
          subIm[i * n + j] = u.im[e]!;
        }
      }
    const [pr, pi] = permanent(subRe, subIm, n);
    const outFact = factorialOfMultiplicities(t);
    probs[p] = options.distinguishable ? pr / outFact : (pr * pr + pi * pi) / (inFact * outFact);
  });
  return { patterns, probs };
}

/**
 * Seeded sampling of `shots` detection events from an exact distribution: counts per pattern, and the
 * empirical frequencies (counts / shots). Patterns outside the given list (e.g. collisions when only
 * collision-free patterns were enumerated) are post-selected away, as a threshold detector would.
 */
export function sampleBosonPatterns(
  dist: BosonDistribution,
  shots: number,
  rng: Rng,
): { counts: Int32Array; frequencies: Float64Array } {
  const counts = new Int32Array(dist.probs.length);
  for (const i of sampleIndices(dist.probs, shots, rng)) counts[i]!++;
  return { counts, frequencies: Float64Array.from(counts, (c) => c / shots) };
}
