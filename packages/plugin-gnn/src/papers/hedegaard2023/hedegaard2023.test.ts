import { Rng, type SeriesRow } from '@paperlab/core';
import { expectClaimCanFail, expectSeedDeterminism, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { skeletonGraph } from '../../data/skeletons.js';
import plugin from '../../index.js';
import { ContinualStgcn, Stgcn, windowForward } from '../../models/stgcn.js';
import { hedegaard2023 } from './experiment.js';

const timing = (speedups: number[]): SeriesRow[] =>
  speedups.map((s, seed) => ({ seed, ms_window: s, ms_continual: 1 }));

describe('gnn/hedegaard2023', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: runs, deterministic scalars, continual equals window', async () => {
    const r = await expectSeedDeterminism(env, 'gnn/hedegaard2023', { differs: 'mean_abs_logit' });
    expect(r.scalars.max_rel_diff).toBeLessThan(1e-5);
    expect(r.series!.timing).toHaveLength(2);
  });

  it('the continual model reproduces the window model on random weights, step by step', () => {
    const o = { joints: 15, inChannels: 3, channels: 6, blocks: 2, kernel: 3, classes: 4 };
    const model = new Stgcn(new Rng(3), o, skeletonGraph());
    const w = model.hostWeights();
    // Biases moved off zero so that ReLUs are neither all on nor all off.
    for (const b of w.blocks) b.bs.fill(0.1);
    const T = 12;
    const frames = 30;
    const x = new Rng(4).normals(frames * 15 * 3);
    const co = new ContinualStgcn(model, w, T);
    let compared = 0;
    for (let t = 0; t < frames; t++) {
      const out = co.step(x.subarray(t * 45, (t + 1) * 45));
      if (t < T - 1) {
        expect(out).toBeNull();
        continue;
      }
      const ref = windowForward(model, w, x.subarray((t - T + 1) * 45, (t + 1) * 45), T);
      for (let k = 0; k < 4; k++) expect(out![k]).toBeCloseTo(ref[k]!, 5);
      compared++;
    }
    expect(compared).toBe(frames - T + 1);
    model.dispose();
  });

  it('continual-equals-window: relative difference bar 1e-5', () => {
    expectClaimCanFail(hedegaard2023, 'continual-equals-window', {
      pass: { max_rel_diff: 3e-7, predictions_compared: 100 },
      fail: { max_rel_diff: 0.02, predictions_compared: 100 },
    });
  });

  it('measured-speedup: a share of the FLOP ratio, from the timing series; small windows inconclusive', () => {
    const s = { window: 64, seeds: 2, flop_ratio: 48 };
    const run = (speedups: number[], scalars = s) => ({ scalars, series: { timing: timing(speedups) } });
    expectClaimCanFail(hedegaard2023, 'measured-speedup', {
      pass: run([40, 44]),
      fail: run([3, 4]),
      inconclusive: [run([5, 15]), run([40, 44], { ...s, window: 24 })],
    });
  });

  it('controls: the cost model and the trained classifier', () => {
    expectClaimCanFail(hedegaard2023, 'flops-fall-with-window', {
      pass: { flop_ratio: 48, window: 64 },
      fail: { flop_ratio: 10, window: 64 },
    });
    expectClaimCanFail(hedegaard2023, 'model-learns', {
      pass: { test_acc_min: 0.9 },
      fail: { test_acc_min: 0.3 },
    });
  });
});
