import { Rng } from '@paperlab/core';
import { describe, expect, it } from 'vitest';
import {
  chargeNormalise,
  DEFAULT_PULSES,
  downsample,
  frequencyGradient,
  simulatePulse,
  tailToTotal,
} from './pulses.js';

describe('simulated scintillator pulses', () => {
  it('neutrons carry more tail light; the separation shrinks at low energy (shot noise)', () => {
    const mean = (neutron: boolean, e: number) => {
      const rng = new Rng(e + Number(neutron));
      let s = 0;
      for (let i = 0; i < 200; i++)
        s += tailToTotal(chargeNormalise(simulatePulse(rng, neutron, e, DEFAULT_PULSES)), 20);
      return s / 200;
    };
    const sd = (neutron: boolean, e: number) => {
      const rng = new Rng(7 * e + Number(neutron));
      const v = Array.from({ length: 200 }, () =>
        tailToTotal(simulatePulse(rng, neutron, e, DEFAULT_PULSES), 20),
      );
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    };
    expect(mean(true, 1000)).toBeGreaterThan(mean(false, 1000) + 0.1);
    expect(sd(false, 60)).toBeGreaterThan(2 * sd(false, 1000));
  });

  it('downsampling averages, charge normalisation sums to 1, FGA is larger for fast (gamma-like) pulses', () => {
    expect(Array.from(downsample([1, 3, 5, 7, 9, 11], 2))).toEqual([2, 6, 10]);
    const p = chargeNormalise(simulatePulse(new Rng(1), false, 800, DEFAULT_PULSES));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const rng = new Rng(2);
    const g = frequencyGradient(simulatePulse(rng, false, 1000, DEFAULT_PULSES));
    const n = frequencyGradient(simulatePulse(rng, true, 1000, DEFAULT_PULSES));
    expect(g).not.toBeCloseTo(n, 2);
  });
});
