/** Test helpers for plugins (Node + vitest): conformance suite, kernel agreement, test contexts, paper-run checks. */

export {
  createHeadlessContext as createTestContext,
  type HeadlessContextOptions as TestContextOptions,
} from '../runs/headlessContext.js';
export { onBackendWithoutLeaks, useBackend, useWasm } from './backends.js';
export {
  expectGapClaim,
  expectThresholdClaims,
  type GapCases,
  type GapClaimCases,
  type GapSem,
  gapClaims,
} from './claimCases.js';
export { checkClaim, expectClaimCanFail } from './claims.js';
export {
  type BadConfig,
  badConfigArbitrary,
  type ConfigFuzzOptions,
  describeConfigFuzz,
  type FuzzOutcome,
  HUGE_VALUES,
  isInternalError,
  numericFields,
  tryConfig,
  unboundedFields,
} from './configFuzz.js';
export { type ConformanceOptions, collectExperiments, describeConformance } from './conformance.js';
export { createTestEnvironment } from './environment.js';
export { checkKernelAgreement, type KernelAgreement, type KernelCase } from './kernels.js';
export {
  expectAllReproduced,
  expectSeedDeterminism,
  expectSmoke,
  itSmokes,
  runChecked,
  type SmokeExpectations,
  type SmokeTest,
  verdictReport,
} from './papers.js';
export { sampleRunHeader } from './records.js';
export { underRevisedRules } from './revisedRules.js';
export { type RevisedRules, revisedClaim } from './revisions.js';
export { suiteEnvironment } from './suiteEnvironment.js';
export { suiteTempDir } from './suiteTempDir.js';
export { checkExpectedVerdicts } from './verdicts.js';
