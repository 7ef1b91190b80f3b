import type { Verdict } from '../contracts/claim.js';

/**
 * Several conditions held together: not reproduced when any part is not reproduced, reproduced when every part
 * is (vacuously so with no parts, as the plugins' own copies had it), inconclusive otherwise.
 */
export function allOf(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('not-reproduced')) return 'not-reproduced';
  return verdicts.every((v) => v === 'reproduced') ? 'reproduced' : 'inconclusive';
}
