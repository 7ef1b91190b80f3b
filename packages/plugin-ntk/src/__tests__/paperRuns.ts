import type { ClaimVerdict, RunEnvironment } from '@paperlab/core';
import type { RunResult } from '@paperlab/core/runs';
import { runChecked, verdictReport } from '@paperlab/core/testing';
import { expect, it } from 'vitest';

/** Reads one claim of a run by id (failing the test when the run has no such claim). */
export type ClaimById = (id: string) => ClaimVerdict;

/**
 * A paper's ci-preset test: the ci preset at seed 0 through {@link runChecked} (completed, no tensor leak), then
 * the paper's `checks` on the result; `title` continues "ci preset", e.g. ` (3 widths): no claim fails`.
 */
export function itRunsCi(
  env: RunEnvironment,
  experiment: string,
  title: string,
  checks: (run: { result: RunResult; claim: ClaimById }) => void,
): void {
  it(`ci preset${title}`, async () => {
    const { result } = await runChecked(env, { experiment, preset: 'ci', seed: 0 });
    const claim: ClaimById = (id) => {
      const found = result.claims.find((c) => c.id === id);
      expect(found, `claim ${id} in ${experiment}`).toBeDefined();
      return found!;
    };
    checks({ result, claim });
  });
}

/** No claim of the run (but those in `except`) is not reproduced; every verdict is in the message. */
export function expectNoneFails(result: RunResult, except: readonly string[] = []): void {
  const report = verdictReport(result);
  for (const c of result.claims.filter((c) => !except.includes(c.id)))
    expect(c.verdict, report).not.toBe('not-reproduced');
}
