/** Ranks (ties averaged) and Spearman's rank correlation (NaN when either series is constant), from core's kit. */
export { ranks, spearman } from '@paperlab/core/kit';
