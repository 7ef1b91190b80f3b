import type { Rng } from '@paperlab/core';
import { fft } from '../solvers/fft.js';

/** SIMULATED scintillator response: decay constants, slow fractions, light yield, shaping and noise. */
export interface PulseModel {
  /** Fast and slow decay constants (ns). */
  tauFast: number;
  tauSlow: number;
  /** Shaping (rise) constant of the readout (ns). */
  tauRise: number;
  /** Mean slow-light fraction for gammas and neutrons, and its event-to-event spread. */
  slowGamma: number;
  slowNeutron: number;
  slowSpread: number;
  /** Photoelectrons per keVee (sets the shot noise). */
  yield: number;
  /** Electronic noise per sample, relative to the mean single-photoelectron peak height. */
  noise: number;
  /** Record length (ns) at 1 GS/s and the pre-trigger delay (ns). */
  length: number;
  delay: number;
}

/** A CLYC-like default: fast 10 ns, slow 300 ns, slow fractions 0.15 (γ) vs 0.35 (n). */
export const DEFAULT_PULSES: PulseModel = {
  tauFast: 10,
  tauSlow: 300,
  tauRise: 4,
  slowGamma: 0.15,
  slowNeutron: 0.35,
  slowSpread: 0.04,
  yield: 0.5,
  noise: 0.3,
  length: 1024,
  delay: 64,
};

/**
 * One SIMULATED pulse at 1 GS/s: N ~ Poisson(yield·E) photoelectrons arrive at delay + Exp(τ) times (τ fast or slow
 * with the event's slow fraction), each a unit charge shaped by a one-pole filter (τ_rise), plus white noise.
 */
export function simulatePulse(rng: Rng, neutron: boolean, energyKeV: number, m: PulseModel): Float64Array {
  const n = m.length;
  const hist = new Float64Array(n);
  const frac = Math.min(
    0.95,
    Math.max(0.01, (neutron ? m.slowNeutron : m.slowGamma) + m.slowSpread * rng.normal()),
  );
  const mean = m.yield * energyKeV;
  // Poisson by normal approximation for large means, exact inversion for small ones.
  let count: number;
  if (mean > 30) count = Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  else {
    const u = rng.uniform();
    let [k, p] = [0, Math.exp(-mean)];
    let s = p;
    while (u > s && k < 1000) {
      k++;
      p *= mean / k;
      s += p;
    }
    count = k;
  }
  for (let i = 0; i < count; i++) {
    const tau = rng.uniform() < frac ? m.tauSlow : m.tauFast;
    const t = m.delay - tau * Math.log(Math.max(rng.uniform(), 1e-12));
    const b = Math.floor(t);
    if (b < n) hist[b]! += 1;
  }
  const a = Math.exp(-1 / m.tauRise);
  const out = new Float64Array(n);
  let y = 0;
  for (let i = 0; i < n; i++) {
    y = a * y + (1 - a) * hist[i]!;
    out[i] = y + m.noise * (1 - a) * rng.normal();
  }
  return out;
}

/** Averages consecutive groups of `factor` samples (a boxcar anti-alias filter and decimation: 1 GS/s → 1/factor). */
export function downsample(x: ArrayLike<number>, factor: number): Float64Array {
  const n = Math.floor(x.length / factor);
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let k = 0; k < factor; k++) s += x[i * factor + k]!;
    return s / factor;
  });
}

/** Charge normalisation: the pulse divided by its total (baseline-free) charge. */
export function chargeNormalise(x: ArrayLike<number>): Float64Array {
  const q = Array.from(x).reduce((a, b) => a + b, 0);
  return Float64Array.from(x, (v) => v / (q || 1));
}

/** Magnitudes of the first `bins` DFT coefficients of a pulse (zero-padded to a power of two). */
export function spectrumMagnitudes(x: ArrayLike<number>, bins: number): Float64Array {
  let n = 1;
  while (n < x.length) n <<= 1;
  const re = new Float64Array(n);
  re.set(Array.from(x));
  const im = new Float64Array(n);
  fft(re, im);
  return Float64Array.from({ length: bins }, (_, k) => Math.hypot(re[k]!, im[k]!));
}

/** Charge comparison: the charge after `tailStart` samples past the peak over the total charge. */
export function tailToTotal(x: ArrayLike<number>, tailStart: number): number {
  let [peak, at] = [-Infinity, 0];
  for (let i = 0; i < x.length; i++)
    if (x[i]! > peak) {
      peak = x[i]!;
      at = i;
    }
  let [tail, total] = [0, 0];
  for (let i = 0; i < x.length; i++) {
    total += x[i]!;
    if (i >= at + tailStart) tail += x[i]!;
  }
  return tail / (total || 1);
}

/** Frequency gradient analysis (Liu et al. 2010): (|X(0)| − |X(1)|)/|X(0)| of the charge-normalised spectrum. */
export function frequencyGradient(x: ArrayLike<number>): number {
  const s = spectrumMagnitudes(x, 2);
  return (s[0]! - s[1]!) / (s[0]! || 1);
}
