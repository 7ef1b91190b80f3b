import type { RunContext } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { loadImageSubset } from '../../data/imageSubset.js';
import { AlphaNet, type AlphaRun, trainAlphaNet } from './alphaNet.js';
import type { Sclocchi2023Config } from './experiment.js';
import { analyticNtkMachine, empiricalNtkMachine } from './ntkMachines.js';

/**
 * Trains every net of ntk/sclocchi2023 on MNIST parity (checkpointed): the (α, T) phase diagram at P0, the lazy
 * net over P × T, full-batch gradient descent, and the α → ∞ limit (hinge machines with each seed's own NTK at
 * initialisation and with the analytic NTK); returns the runs with the accessors the scalars read.
 */
export async function runPhaseGrid(ctx: RunContext, cfg: Sclocchi2023Config) {
  const trainLimit = Math.max(...cfg.sizes, cfg.phaseSize);
  const data = await loadImageSubset(ctx.data, 'mnist', {
    trainLimit,
    testLimit: cfg.nTest,
    pool: cfg.pool,
  });
  const { d, nTest } = data;
  const parity = (y: Int32Array) => Float64Array.from(y, (v) => (v % 2 === 0 ? 1 : -1));
  const [yAll, yTest] = [parity(data.yTrain), parity(data.yTest)];
  const [xAll, xTest] = [Float64Array.from(data.xTrain), Float64Array.from(data.xTest)];
  const subset = (P: number) => ({
    x: xAll.subarray(0, P * d),
    y: yAll.subarray(0, P),
    n: P,
    xTest,
    yTest,
    nTest,
  });
  const ts = [...cfg.temperatures].sort((a, b) => a - b);
  const alphas = [...cfg.alphas].sort((a, b) => a - b);
  const sizes = [...cfg.sizes].sort((a, b) => a - b);
  const P0 = cfg.phaseSize;
  const aLazy = cfg.lazyAlpha;
  const seedList = kit.seeds(cfg.seeds);
  const sgd = { batch: cfg.batch, fullBatch: false };
  const done = await kit.runCells(ctx, {
    label: 'α × T × P × seed',
    cells: [
      ...kit.grid({ alpha: alphas, T: ts, seed: seedList }).map((c) => ({ ...c, P: P0, ...sgd })),
      ...kit
        .grid({ P: sizes, T: ts, seed: seedList })
        .filter((c) => !(c.P === P0 && alphas.includes(aLazy)))
        .map((c) => ({ ...c, alpha: aLazy, ...sgd })),
      // Full-batch gradient descent (T → 0 at fixed η = 1): B = P, T = 1/P.
      ...seedList.map((seed) => ({ alpha: aLazy, T: 1 / P0, P: P0, seed, batch: P0, fullBatch: true })),
    ],
    key: ({ alpha, T, P, batch, seed }) => `a${alpha}-T${T}-P${P}-B${batch}-s${seed}`,
    run: ({ alpha, T, P, batch, seed }) => {
      const rng = ctx.rng.split(`seed-${seed}`);
      const net = new AlphaNet(rng.split('init'), d, cfg.width);
      const o = { alpha, temperature: T, batch: Math.min(batch, P), maxEpochs: cfg.maxEpochs };
      return trainAlphaNet(rng.split(`sgd-a${alpha}-T${T}-P${P}-B${batch}`), net, subset(P), o);
    },
    describe: (c) => (c.fullBatch ? 'full-batch GD' : `α=${c.alpha} T=${c.T} P=${c.P}`),
  });
  const cells = done.filter((c) => !c.cell.fullBatch).map(({ cell, result }) => ({ ...result, ...cell }));
  const gd = done.filter((c) => c.cell.fullBatch).map((c) => c.result);
  // The α → ∞ limit: hinge machines with each seed's own NTK at initialisation (J·Jᵀ) and the analytic NTK.
  const task = { x: xAll, y: yAll, n: P0, xTest, yTest, nTest, d };
  const own = await kit.runCells(ctx, {
    label: 'NTK machine per seed',
    cells: seedList,
    key: (s) => `empirical-ntk-s${s}`,
    run: (s) =>
      empiricalNtkMachine(task, new AlphaNet(ctx.rng.split(`seed-${s}`).split('init'), d, cfg.width)),
  });
  const empirical = own.map((c) => c.result.testError);
  const ntk = await ctx.checkpoint.cached('ntk-machine', async () => analyticNtkMachine(task));

  const at = (alpha: number, T: number, P: number) =>
    cells.filter((c) => c.alpha === alpha && c.T === T && c.P === P);
  const err = (list: AlphaRun[]) => kit.meanSem(list.map((c) => c.testError)).mean;
  const change = (T: number, P: number) => kit.mean(at(aLazy, T, P).map((c) => c.weightChange));
  const fitted = (list: AlphaRun[]) => list.length > 0 && list.every((c) => c.converged);
  return { ts, alphas, sizes, P0, aLazy, nTest, cells, gd, empirical, ntk, at, err, change, fitted };
}

/** The runs of ntk/sclocchi2023 and how to read them (see {@link runPhaseGrid}). */
export type PhaseGrid = Awaited<ReturnType<typeof runPhaseGrid>>;
