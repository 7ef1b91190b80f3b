/** Test helpers for plugins (Node + vitest): conformance suite, kernel agreement, test contexts. */
export { type ConformanceOptions, collectExperiments, describeConformance } from './conformance.js';
export { createTestContext, type TestContextOptions } from './context.js';
export { checkKernelAgreement, type KernelAgreement, type KernelCase } from './kernels.js';
