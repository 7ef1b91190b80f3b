import { describe, expect, it } from 'vitest';
import type { Verdict } from '../contracts/claim.js';
import type { AnyExperiment } from '../contracts/experiment.js';
import { custom, revise } from '../kit/index.js';
import { claimOutput } from '../runs/claims.js';
import { expectClaimCanFail, underRevisedRules } from '../testing/index.js';
import { stubExperiment } from './stubs.js';

type K = 'gap' | 'gap_sem';

/** "gap > 0" first, revised to "gap − 2 s.e. > 0" (straddling → inconclusive). */
const gapAbove = (interval: boolean) =>
  custom<object, K>({
    id: 'gains',
    statement: 'gains',
    kind: 'control',
    rule: { text: interval ? 'gap − 2 s.e. > 0' : 'gap > 0' },
    check: (s) => {
      const lo = interval ? s.gap - 2 * s.gap_sem : s.gap;
      const hi = interval ? s.gap + 2 * s.gap_sem : s.gap;
      const verdict: Verdict = lo > 0 ? 'reproduced' : hi <= 0 ? 'not-reproduced' : 'inconclusive';
      return { verdict, measured: `gap ${s.gap}` };
    },
  });

/** A stub experiment whose one claim carries that revision. */
const experiment: AnyExperiment = {
  ...stubExperiment('demo/rules2026'),
  claims: [revise(gapAbove(false), { date: '2026-12-03', reason: 'interval rule', revised: gapAbove(true) })],
};

describe('underRevisedRules', () => {
  it('swaps in the revision’s rule and check, and leaves the experiment itself as it was', () => {
    const revised = underRevisedRules(experiment);
    const noisy = claimOutput<K>({ scalars: { gap: 0.1, gap_sem: 0.1 } });
    expect(revised.claims[0]!.rule!.text).toBe('gap − 2 s.e. > 0');
    expect(revised.claims[0]!.check(noisy, {}).verdict).toBe('inconclusive');
    expect(experiment.claims[0]!.rule!.text).toBe('gap > 0');
    expect(experiment.claims[0]!.check(noisy, {}).verdict).toBe('reproduced');
  });

  it('lets expectClaimCanFail test the rule in force: a gap within 2 s.e. passes only the first rule', () => {
    const straddle = { gap: 0.1, gap_sem: 0.1 };
    const fail = { gap: -0.5, gap_sem: 0.1 };
    expectClaimCanFail(experiment, 'gains', { pass: straddle, fail });
    expectClaimCanFail(underRevisedRules(experiment), 'gains', {
      pass: { gap: 0.5, gap_sem: 0.1 },
      fail,
      inconclusive: [straddle],
    });
    expect(() =>
      expectClaimCanFail(underRevisedRules(experiment), 'gains', { pass: straddle, fail }),
    ).toThrow(/passing case/);
  });
});
