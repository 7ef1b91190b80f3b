import type { RunContext } from '@paperlab/core';
import { GHIA_1982, GHIA_1982_SUSPECT } from '../../data/ghia1982.js';
import { type CavityFlow, sampleGrid, solveCavity } from '../../solvers/cavity.js';
import type { Pal2025Config } from './experiment.js';

/** Largest deviation of a uniform-lid finite-difference solution from Ghia et al.'s centrelines (misprint skipped). */
function ghiaDeviation(re: number, cells: number): number {
  if (re !== 100 && re !== 400) return Number.NaN;
  const fd = solveCavity({ re, n: cells });
  const g = GHIA_1982[re];
  const skip = new Set(GHIA_1982_SUSPECT.filter((s) => s.re === re).map((s) => `${s.table}${s.index}`));
  const du = g.y.map((y, k) => Math.abs(sampleGrid(fd.n, fd.u, 0.5, y) - g.u[k]!));
  const dv = g.x.map((x, k) => (skip.has(`v${k}`) ? 0 : Math.abs(sampleGrid(fd.n, fd.v, x, 0.5) - g.v[k]!)));
  return Math.max(...du, ...dv);
}

/** Power-of-two cells for the FD solver (it starts coarse-to-fine). */
export const fdCellsOf = (cfg: Pal2025Config) => 2 ** Math.round(Math.log2(Math.max(8, cfg.fdCells)));

/** The regularised-lid finite-difference cavity at Reynolds number `re` on `n`² cells, checkpointed as JSON. */
async function cachedCavity(ctx: RunContext, re: number, n: number): Promise<CavityFlow> {
  const j = await ctx.checkpoint.cached(`fd-re${re}-n${n}`, async () => {
    const f = solveCavity({ re, n, lid: 'regularised', signal: ctx.signal });
    return {
      u: Array.from(f.u),
      v: Array.from(f.v),
      psi: Array.from(f.psi),
      omega: Array.from(f.omega),
      converged: f.converged,
      sweeps: f.sweeps,
    };
  });
  return {
    n,
    re,
    lid: 'regularised',
    u: Float64Array.from(j.u),
    v: Float64Array.from(j.v),
    psi: Float64Array.from(j.psi),
    omega: Float64Array.from(j.omega),
    sweeps: j.sweeps,
    converged: j.converged,
  };
}

/** The cavity references at the low and high Reynolds numbers. */
export async function cavityReferences(
  ctx: RunContext,
  [reLow, reHigh]: readonly [number, number],
  n: number,
): Promise<Record<'low' | 'high', CavityFlow>> {
  return { low: await cachedCavity(ctx, reLow, n), high: await cachedCavity(ctx, reHigh, n) };
}

/**
 * The solver control: deviation from Ghia et al. at both Reynolds numbers (uniform lid), checkpointed; NaN below
 * 64 cells, where the check would mean nothing (its claim asks for ≥ 64 cells).
 */
export function ghiaCheck(
  ctx: RunContext,
  [reLow, reHigh]: readonly [number, number],
  n: number,
): Promise<{ low: number; high: number }> {
  return ctx.checkpoint.cached(`ghia-n${n}`, async () =>
    n >= 64
      ? { low: ghiaDeviation(reLow, n), high: ghiaDeviation(reHigh, n) }
      : { low: Number.NaN, high: Number.NaN },
  );
}
