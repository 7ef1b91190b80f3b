import { describe, expect, it } from 'vitest';
import { defineExperiment, scalarKeys } from '../contracts/experiment.js';
import { z } from '../index.js';
import { claimsFor } from '../kit/index.js';
import { revisedClaim } from '../testing/index.js';

// Moved from plugin-compression's test helpers (also used by physics/he2023's revision test).
describe('revisedClaim', () => {
  const claim = claimsFor<object, 'v'>();
  const window = (range: [number, number]) =>
    claim.inRange({
      id: 'w',
      statement: 'w',
      kind: 'paper',
      source: { quote: 'q', where: '§1' },
      value: 'v',
      range,
      label: 'v',
    });
  const experiment = defineExperiment({
    id: 'demo/revised2026',
    paper: { title: 'Revised', authors: 'A B', year: 2026, url: 'https://example.org' },
    summary: 'revised',
    config: z.strictObject({}),
    presets: { smoke: {}, paper: {} },
    scalars: scalarKeys<'v'>(),
    claims: [
      claim.revise(window([0, 0.4]), {
        date: '2026-12-01',
        reason: 'window widened',
        revised: window([0, 1]),
      }),
    ],
    async run() {
      return { scalars: {} };
    },
  });

  it('returns the revised and the original rule as verdicts on doctored scalars', () => {
    const rules = revisedClaim(experiment, 'w', '2026-12-01');
    expect(rules.revised({ v: 0.5 })).toBe('reproduced');
    expect(rules.original({ v: 0.5 })).toBe('not-reproduced');
    expect(rules.revised({ v: 2 })).toBe('not-reproduced');
  });

  it('fails on a wrong revision date or an unknown claim', () => {
    expect(() => revisedClaim(experiment, 'w', '2026-12-02')).toThrow(/revision date/);
    expect(() => revisedClaim(experiment, 'nope', '2026-12-01')).toThrow(/claim nope/);
  });
});
