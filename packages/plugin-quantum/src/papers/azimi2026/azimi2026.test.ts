import { expectClaimCanFail, itSmokes, suiteEnvironment, underRevisedRules } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { smallRuns, trainedScalars, untrainedCases } from '../../__tests__/claimCases.js';
import { qshieldCircuit } from '../../circuits/ansatze.js';
import plugin from '../../index.js';

describe('quantum/azimi2026', () => {
  const env = suiteEnvironment([plugin]);

  it('entanglement patterns differ only in their CNOTs', () => {
    const cnots = (p: 'linear' | 'star' | 'full') =>
      qshieldCircuit(4, 1, p).gates.filter((g) => g.name === 'x' && g.wires.length === 2).length;
    const names = qshieldCircuit(4, 1, 'full').gates.map((g) => g.name);
    expect(names.filter((n) => n === 'ry')).toHaveLength(8);
    expect([cnots('linear'), cnots('star'), cnots('full')]).toEqual([3, 3, 6]);
  });

  const models = ['classical', 'linear', 'star', 'full', 'randomTwin', 'adversarial', 'circuitOnly'];
  const metrics = ['clean', 'fgsm_asr', 'pgd_asr', 'pgd1_asr', 'pgd2_asr', 'pgd_eps_0p3_asr'];
  itSmokes(env, 'quantum/azimi2026', {
    differs: 'full_quantum_weight',
    finite: models.flatMap((m) => metrics.map((k) => `${m}_${k}`)),
    checks: (r) => {
      expect(r.tables![0]!.rows).toHaveLength(7);
      expect(r.claims.map((c) => c.kind)).toEqual([...Array(3).fill('paper'), ...Array(5).fill('control')]);
      expect(r.scalars.full_quantum_weight! >= 0 && r.scalars.full_quantum_weight! <= 1).toBe(true);
    },
  });

  it('every claim can fail: both rules on doctored outputs, too small a run, circuits off, models untrained', () => {
    const exp = env.lab.experiment('quantum/azimi2026');
    const revised = underRevisedRules(exp);
    const config = { margin: 0.05, eps: 0.1, pgdSteps: [1, 20], epsSweep: [0.1, 0.3], sweepSteps: 10 };
    const s: Record<string, number> = {
      seeds: 2,
      train_size: 2000,
      gate_floor: 0.2,
      ...trainedScalars(['classical', 'linear', 'star', 'full'], 'cells'),
    };
    const asr = {
      classical: 0.9,
      linear: 0.85,
      star: 0.8,
      full: 0.88,
      randomTwin: 0.86,
      adversarial: 0.4,
      circuitOnly: 0.89,
    };
    for (const [k, v] of Object.entries(asr)) {
      s[`${k}_clean`] = 0.9;
      s[`${k}_pgd_asr`] = v;
      s[`${k}_pgd_asr_sem`] = 0.01;
      s[`${k}_pgd_eps_0p3_asr`] = 1;
    }
    for (const p of ['linear', 'star', 'full', 'randomTwin']) {
      s[`${p}_quantum_weight`] = 0.3;
      s[`${p}_circuit_acc`] = 0.5;
      s[`gap_clean_${p}`] = 0;
      s[`gap_clean_${p}_sem`] = 0.005;
    }
    Object.assign(s, {
      gap_asr_full: -0.02,
      gap_asr_full_sem: 0.01,
      gap_asr_twin_full: -0.02,
      gap_asr_twin_full_sem: 0.01,
      gap_asr_adv_full: -0.48,
      gap_asr_adv_full_sem: 0.02,
      gap_asr_circuit: -0.01,
      gap_asr_circuit_sem: 0.01,
    });
    const small = smallRuns(s, 100);
    // The fusion switching the circuit off, or a hybrid that did not train like the classical CNN.
    const off = [{ ...s, full_quantum_weight: 0.0002 }];
    const untrained = [
      ...untrainedCases(s, 'full', 'cells', { acc: 0.7, spread: 0.1, plateau: 0.5 }),
      { ...s, classical_train: 0.7 },
    ];
    const judged = [...small, ...off, ...untrained];
    const can = (
      id: string,
      pass: Record<string, number>,
      fail: Record<string, number>,
      inconclusive = small,
      e = exp,
    ) => expectClaimCanFail(e, id, { pass, fail, inconclusive, config });
    for (const e of [exp, revised]) {
      can('hybrid-keeps-accuracy', s, { ...s, gap_clean_star: -0.05 }, judged, e);
      can('hybrid-lowers-asr', { ...s, gap_asr_full: -0.5 }, s, judged, e);
      can('circuit-path-robust', { ...s, gap_asr_circuit: -0.3 }, s, small, e);
      can(
        'random-twin-as-robust',
        s,
        { ...s, gap_asr_twin_full: 0.3 },
        [...judged, { ...s, randomTwin_quantum_weight: 0 }],
        e,
      );
    }
    can('full-entanglement-best', { ...s, full_pgd_asr: 0.5 }, s, judged);
    can('fusion-uses-circuit', s, { ...s, star_quantum_weight: 0.001 });
    // Needs only enough training images (a one-seed run may still show that attacks break every model).
    can('attacks-reach-100', s, { ...s, full_pgd_eps_0p3_asr: 0.6 }, [{ ...s, train_size: 100 }]);
    can('adversarial-training-stronger', s, { ...s, gap_asr_adv_full: 0.1 }, judged);
    // First rule: a deficit within 2 s.e. (however large) keeps the accuracy; revised: the interval straddles.
    const noisy = { ...s, gap_clean_star: -0.03, gap_clean_star_sem: 0.02 };
    can('hybrid-keeps-accuracy', noisy, { ...noisy, gap_clean_star_sem: 0.01 });
    can('hybrid-keeps-accuracy', s, { ...noisy, gap_clean_star_sem: 0.005 }, [noisy], revised);
    can(
      'hybrid-lowers-asr',
      { ...s, gap_asr_full: -0.5 },
      s,
      [{ ...s, gap_asr_full: -0.08, gap_asr_full_sem: 0.02 }],
      revised,
    );
    // A missing scalar makes a claim inconclusive, naming the key.
    const missing = { ...s };
    delete missing.full_quantum_weight;
    can('fusion-uses-circuit', s, { ...s, star_quantum_weight: 0.001 }, [missing]);
  });
});
