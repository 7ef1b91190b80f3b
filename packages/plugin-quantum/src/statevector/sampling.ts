import type { Rng } from '@paperlab/core';
import { FIXED_GATES, type Mat2 } from '../circuits/matrices.js';
import { type CompiledObservables, parity, wireBit } from '../circuits/observables.js';
import { applyOpHost, cloneState, type StateVector } from './host.js';

/** Draws `shots` indices from an unnormalised distribution `weights[off … off+len)` (binary search on the CDF). */
export function sampleIndices(
  weights: ArrayLike<number>,
  shots: number,
  rng: Rng,
  off = 0,
  len = weights.length,
): Int32Array {
  const cdf = new Float64Array(len);
  let acc = 0;
  for (let i = 0; i < len; i++) {
    acc += weights[off + i]!;
    cdf[i] = acc;
  }
  const out = new Int32Array(shots);
  for (let s = 0; s < shots; s++) {
    const u = rng.uniform() * acc;
    let lo = 0;
    let hi = len - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    out[s] = lo;
  }
  return out;
}

/**
 * Measures every example `shots` times in the computational basis: basis-state indices `[batch, shots]`.
 * Each example draws from `rng.split(b)`, so results do not depend on the batch composition.
 */
export function sampleHost(state: StateVector, shots: number, rng: Rng): Int32Array {
  const D = 2 ** state.nQubits;
  const out = new Int32Array(state.batch * shots);
  const p = new Float64Array(D);
  for (let b = 0; b < state.batch; b++) {
    for (let i = 0; i < D; i++) p[i] = state.re[b * D + i]! ** 2 + state.im[b * D + i]! ** 2;
    out.set(sampleIndices(p, shots, rng.split(b)), b * shots);
  }
  return out;
}

/** Histogram `[batch, 2^k]` of sampled indices restricted to `wires` (wire order = bit order, first most significant). */
export function countsOf(
  samples: Int32Array,
  batch: number,
  nQubits: number,
  wires?: number[],
): Float64Array {
  const ws = wires ?? Array.from({ length: nQubits }, (_, i) => i);
  const k = ws.length;
  const shots = samples.length / batch;
  const out = new Float64Array(batch * 2 ** k);
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < shots; s++) {
      const idx = samples[b * shots + s]!;
      let v = 0;
      for (let j = 0; j < k; j++) v = (v << 1) | (idx & wireBit(nQubits, ws[j]!) ? 1 : 0);
      out[b * 2 ** k + v]! += 1;
    }
  }
  return out;
}

const SDG: Mat2 = [...FIXED_GATES.sdg] as Mat2;
const H: Mat2 = [...FIXED_GATES.h] as Mat2;

/**
 * Shot estimates of expectation values `[batch, K]`: each term is measured `shots` times in its own
 * basis (H for X, S†·H for Y), as on hardware. Deterministic for a given `rng`.
 */
export function sampledExpectationsHost(
  state: StateVector,
  obs: CompiledObservables,
  shots: number,
  rng: Rng,
): Float64Array {
  const n = state.nQubits;
  const K = obs.numObservables;
  const out = new Float64Array(state.batch * K);
  obs.terms.forEach((t, ti) => {
    let s = state;
    let sign = t.sign;
    if (t.kind === 'pauli' && t.flip !== 0) {
      s = cloneState(state);
      for (let w = 0; w < n; w++) {
        const bit = wireBit(n, w);
        if (!(t.flip & bit)) continue;
        if (t.sign & bit) applyOpHost(s, { kind: 'fixed', target: w, controls: [], matrix: SDG }, null, 0);
        applyOpHost(s, { kind: 'fixed', target: w, controls: [], matrix: H }, null, 0);
      }
      sign = t.sign | t.flip;
    }
    const samples = sampleHost(s, shots, rng.split(`term-${ti}`));
    for (let b = 0; b < state.batch; b++) {
      let acc = 0;
      for (let q = 0; q < shots; q++) {
        const idx = samples[b * shots + q]!;
        if (t.kind === 'projector') acc += (idx & t.mask) === t.value ? 1 : 0;
        else acc += parity(idx & sign) ? -1 : 1;
      }
      const e = acc / shots;
      for (let k = 0; k < K; k++) out[b * K + k]! += obs.coeffs[ti * K + k]! * e;
    }
  });
  return out;
}
