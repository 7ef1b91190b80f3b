import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import { bosonProbabilities, outputPatterns, permanent, sampleBosonPatterns } from './bosonSampling.js';
import {
  complexMatmul,
  haarUnitary,
  interferometerUnitary,
  meshPairs,
  meshPhaseCount,
  unitarityDeviation,
} from './interferometer.js';

/** Permanent by the definition: Σ over all permutations. */
function naivePermanent(re: Float64Array, im: Float64Array, k: number): [number, number] {
  let sr = 0;
  let si = 0;
  const perm = Array.from({ length: k }, (_, i) => i);
  const rec = (i: number) => {
    if (i === k) {
      let pr = 1;
      let pi = 0;
      for (let r = 0; r < k; r++) {
        const a = re[r * k + perm[r]!]!;
        const b = im[r * k + perm[r]!]!;
        const t = pr * a - pi * b;
        pi = pr * b + pi * a;
        pr = t;
      }
      sr += pr;
      si += pi;
      return;
    }
    for (let j = i; j < k; j++) {
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      rec(i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
  };
  rec(0);
  return [sr, si];
}

describe('photonic: interferometers, permanents, boson sampling', () => {
  it('meshes have m(m−1)/2 interferometers and give unitaries (Clements and Reck)', () => {
    const rng = new Rng(1);
    for (const m of [2, 3, 5, 8]) {
      for (const layout of ['clements', 'reck'] as const) {
        expect(meshPairs(m, layout).length).toBe((m * (m - 1)) / 2);
        const u = interferometerUnitary(m, rng.uniforms(meshPhaseCount(m), 0, 2 * Math.PI), layout);
        expect(unitarityDeviation(u)).toBeLessThan(1e-12);
      }
      expect(unitarityDeviation(haarUnitary(m, rng))).toBeLessThan(1e-12);
    }
    expect(() => interferometerUnitary(3, [1, 2])).toThrow(/9 phases/);
  });

  it('Ryser permanents match the definition; perm(J_k) = k!', () => {
    const rng = new Rng(2);
    for (let k = 1; k <= 6; k++) {
      const re = Float64Array.from(rng.normals(k * k));
      const im = Float64Array.from(rng.normals(k * k));
      const [a, b] = permanent(re, im, k);
      const [c, d] = naivePermanent(re, im, k);
      expect(a).toBeCloseTo(c, 9);
      expect(b).toBeCloseTo(d, 9);
      const [ones] = permanent(new Float64Array(k * k).fill(1), new Float64Array(k * k), k);
      expect(ones).toBeCloseTo([1, 2, 6, 24, 120, 720][k - 1]!, 9);
    }
  });

  it('Hong–Ou–Mandel: a 50:50 beam splitter never outputs one photon per mode', () => {
    // One MZI with θ = π/4 is a balanced beam splitter.
    const u = interferometerUnitary(2, [Math.PI / 4, 0, 0, 0]);
    const q = bosonProbabilities(u, [0, 1]);
    expect(q.patterns).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
    ]);
    expect(q.probs[1]).toBeCloseTo(0, 12);
    expect(q.probs[0]).toBeCloseTo(0.5, 12);
    const c = bosonProbabilities(u, [0, 1], { distinguishable: true });
    expect(c.probs[1]).toBeCloseTo(0.5, 12);
  });

  it('output distributions sum to one (bosons and distinguishable particles, with collisions)', () => {
    const rng = new Rng(3);
    const m = 5;
    const u = complexMatmul(haarUnitary(m, rng), interferometerUnitary(m, rng.uniforms(25, 0, 6)));
    for (const input of [
      [0, 2, 3],
      [1, 1, 4],
      [0, 1],
    ]) {
      for (const distinguishable of [false, true]) {
        const d = bosonProbabilities(u, input, { distinguishable });
        expect(d.patterns.length).toBe(outputPatterns(m, input.length).length);
        expect(d.probs.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 10);
        for (const p of d.probs) expect(p).toBeGreaterThanOrEqual(-1e-15);
      }
    }
    // 2 photons in 30 modes, collision-free: C(30, 2) = 435 patterns.
    expect(outputPatterns(30, 2, true).length).toBe(435);
  });

  it('seeded sampling converges to the exact distribution', () => {
    const rng = new Rng(4);
    const d = bosonProbabilities(haarUnitary(4, rng), [0, 1]);
    const shots = 20_000;
    const s = sampleBosonPatterns(d, shots, new Rng(5));
    expect(s.counts.reduce((a, b) => a + b, 0)).toBe(shots);
    d.probs.forEach((p, i) => {
      expect(Math.abs(s.frequencies[i]! - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / shots) + 1e-9);
    });
    expect(Array.from(sampleBosonPatterns(d, 50, new Rng(5)).counts)).toEqual(
      Array.from(sampleBosonPatterns(d, 50, new Rng(5)).counts),
    );
  });
});
