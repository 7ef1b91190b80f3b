import type { RunEnvironment } from '@paperlab/core';
import type { RunResult } from '@paperlab/core/runs';
import { createTestEnvironment, expectSmoke } from '@paperlab/core/testing';
import { beforeAll, it } from 'vitest';
import plugin from '../index.js';

/** A claim's id and kind, in the order the experiment lists them. */
export type ClaimKinds = Array<[string, 'paper' | 'control']>;

/**
 * The smoke test of a compression paper (call inside its `describe`): the smoke preset completes without a tensor
 * leak, the same seed gives the same scalars and another seed changes `differs`, every scalar is finite, the
 * claims come in the given order with the given kinds, and `more` checks what is particular to the paper's result.
 */
export function itRunsSmoke(
  id: string,
  differs: string,
  claims: ClaimKinds,
  more?: (r: RunResult) => void,
): void {
  let env: RunEnvironment;
  beforeAll(async () => {
    env = await createTestEnvironment([plugin]);
  });
  it('smoke: completes, same seed gives the same numbers, another seed others, finite scalars, no tensor leak', async () => {
    const result = await expectSmoke(env, id, { differs, finite: 'all', claims });
    more?.(result);
  });
}
