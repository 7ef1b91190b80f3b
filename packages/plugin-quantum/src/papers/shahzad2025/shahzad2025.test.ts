import type { RunEnvironment } from '@paperlab/core';
import { expectSeedDeterminism } from '@paperlab/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { paperEnv } from '../../__tests__/paperEnv.js';
import { shahzadCircuit } from './experiment.js';

describe('quantum/shahzad2025', () => {
  let env: RunEnvironment;
  beforeAll(async () => {
    env = await paperEnv();
  });

  it('the variational layer has 4 encoded inputs and 2 rotations per qubit per layer', () => {
    const c = shahzadCircuit(4, 2);
    expect(c.numInputs).toBe(4);
    expect(c.numParams).toBe(16);
  });

  it('smoke: output shape, same seed gives the same numbers, another seed differs, no tensor leak', async () => {
    const r = await expectSeedDeterminism(env, 'quantum/shahzad2025', { differs: 'mnist_hybrid_gradnorm' });
    for (const m of ['classical', 'hybrid', 'twin'])
      for (const k of ['clean', 'fgsm_0p1', 'fgsm_0p3', 'pgd', 'pgd_large', 'gradnorm'])
        expect(Number.isFinite(r.scalars[`mnist_${m}_${k}`]), `${m} ${k}`).toBe(true);
    expect(Number.isFinite(r.scalars.mnist_transfer_classical_to_hybrid)).toBe(true);
    expect(r.tables![0]!.rows).toHaveLength(3);
    expect(r.claims.map((c) => c.id)).toEqual([
      'hybrid-more-accurate',
      'hybrid-fgsm-robust',
      'robust-under-pgd',
      'no-gradient-masking',
    ]);
  });

  it('claims fail on doctored output', () => {
    const exp = env.lab.experiment('quantum/shahzad2025');
    const cfg = { datasets: ['mnist'], margin: 0.02, eps: 0.1, pgdSteps: 20, largeEps: 0.3 };
    const base: Record<string, number> = { seeds: 3, train_size: 2000 };
    for (const [m, v] of Object.entries({ clean: 0.95, fgsm_0p1: 0.3, pgd: 0.1 })) {
      base[`mnist_classical_${m}`] = v;
      base[`mnist_hybrid_${m}`] = v - 0.01;
      base[`mnist_twin_${m}`] = v;
      base[`mnist_gap_${m}`] = -0.01;
      base[`mnist_gap_${m}_sem`] = 0.005;
    }
    Object.assign(base, {
      mnist_transfer_classical_to_hybrid: 0.3,
      mnist_gap_transfer_whitebox_sem: 0.01,
      mnist_classical_pgd_large: 0,
      mnist_hybrid_pgd_large: 0.02,
      mnist_twin_pgd_large: 0,
    });
    const claim = (id: string) => exp.claims.find((c) => c.id === id)!;
    for (const id of ['hybrid-more-accurate', 'hybrid-fgsm-robust', 'robust-under-pgd'])
      expect(claim(id).check({ scalars: base }, cfg).verdict, id).toBe('not-reproduced');
    expect(
      claim('hybrid-fgsm-robust').check({ scalars: { ...base, mnist_gap_fgsm_0p1: 0.3 } }, cfg).verdict,
    ).toBe('reproduced');
    expect(claim('no-gradient-masking').check({ scalars: base }, cfg).verdict).toBe('reproduced');
    // White-box weaker than transfer (masking), or a model that survives ε = 0.3: not reproduced.
    expect(
      claim('no-gradient-masking').check({ scalars: { ...base, mnist_hybrid_pgd: 0.6 } }, cfg).verdict,
    ).toBe('not-reproduced');
    expect(
      claim('no-gradient-masking').check({ scalars: { ...base, mnist_hybrid_pgd_large: 0.4 } }, cfg).verdict,
    ).toBe('not-reproduced');
  });
});
