import type { RunEnvironment } from '@paperlab/core';
import type { RunResult } from '@paperlab/core/runs';
import { expectSmoke, type SmokeExpectations } from '@paperlab/core/testing';
import { it } from 'vitest';

/** What a paper's smoke test expects: {@link SmokeExpectations} and the paper's own checks of the result. */
export interface SmokeTest extends SmokeExpectations {
  checks?(result: RunResult): void;
}

/**
 * A paper's smoke test: {@link expectSmoke} on its smoke preset (same seed → same scalars, another seed changes
 * `differs`, no tensor leak, finite scalars, claim list and verdicts), then the paper's own `checks`.
 */
export function itSmokes(
  env: RunEnvironment,
  experiment: string,
  { checks, ...expectations }: SmokeTest,
): void {
  it(`smoke: ${experiment} is deterministic per seed, finite, leak-free, with the expected claims`, async () => {
    const result = await expectSmoke(env, experiment, expectations);
    checks?.(result);
  });
}

/** Every claim's `verdict: measured`, as the message of an expectation on a run's verdicts. */
export function verdictReport(result: RunResult): string {
  return JSON.stringify(
    Object.fromEntries(result.claims.map((c) => [c.id, `${c.verdict}: ${c.measured}`])),
    null,
    2,
  );
}
