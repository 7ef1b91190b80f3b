import type { RunResult } from '@paperlab/core/runs';
import { itSmokes, suiteEnvironment } from '@paperlab/core/testing';
import plugin from '../index.js';

/** A claim's id and kind, in the order the experiment lists them. */
export type ClaimKinds = Array<[string, 'paper' | 'control']>;

/**
 * The smoke test of a compression paper (call inside its `describe`): core's {@link itSmokes} on this plugin with
 * every scalar finite and the claims in the given order and kinds; `more` checks what is particular to the paper.
 */
export function itRunsSmoke(
  id: string,
  differs: string,
  claims: ClaimKinds,
  more?: (r: RunResult) => void,
): void {
  const env = suiteEnvironment([plugin]);
  itSmokes(env, id, { differs, finite: 'all', claims, ...(more ? { checks: more } : {}) });
}
