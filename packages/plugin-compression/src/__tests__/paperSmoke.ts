import type { RunEnvironment } from '@paperlab/core';
import type { RunResult } from '@paperlab/core/runs';
import { createTestEnvironment, expectSmoke } from '@paperlab/core/testing';
import { beforeAll, it } from 'vitest';
import plugin from '../index.js';

/** A paper's claim ids in the order the experiment lists them: its paper claims, then its controls. */
export interface ClaimIds {
  paper: string[];
  control: string[];
}

/**
 * The smoke test of a compression paper (call inside its `describe`): the smoke preset completes without a tensor
 * leak, the same seed gives the same scalars and another seed changes `differs`, every scalar is finite, the
 * claims come in the given order (paper claims first, then controls) with their kinds, and `more` checks what is
 * particular to the paper's result.
 */
export function itRunsSmoke(
  id: string,
  differs: string,
  claims: ClaimIds,
  more?: (r: RunResult) => void,
): void {
  let env: RunEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment([plugin]);
  });
  it('smoke: completes, same seed gives the same numbers, another seed others, finite scalars, no tensor leak', async () => {
    const kinds = [
      ...claims.paper.map((c) => [c, 'paper'] as const),
      ...claims.control.map((c) => [c, 'control'] as const),
    ];
    const result = await expectSmoke(env, id, { differs, finite: 'all', claims: kinds });
    more?.(result);
  });
}
