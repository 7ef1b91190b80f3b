import type { RunContext } from '@paperlab/core';
import * as tf from '@tensorflow/tfjs-core';
import { GHIA_1982 } from '../../data/ghia1982.js';
import { Mlp } from '../../nets/mlp.js';
import { latinHypercube } from '../../pinn/collocation.js';
import {
  type BcMode,
  boundaryViolation,
  cavityProblem,
  type FlowProblem,
  flowPinn,
  poiseuilleProblem,
  velocityError,
} from '../../pinn/flows.js';
import { trainPinn } from '../../pinn/train.js';
import type { CavityFlow } from '../../solvers/cavity.js';
import type { Pal2025Config } from './experiment.js';

/** A PINN case: channel flow, cavity at low and high Re (hard BC), cavity at low Re (soft BC). */
export type Case = 'pois' | 'low' | 'high' | 'soft';
/** The cases in table order. */
export const CASES: readonly Case[] = ['pois', 'low', 'high', 'soft'];
/** Display names of the cases. */
export const LABEL: Record<Case, string> = {
  pois: 'Poiseuille (hard BC)',
  low: 'cavity, low Re (hard BC)',
  high: 'cavity, high Re (hard BC)',
  soft: 'cavity, low Re (soft BC)',
};

/** One trained PINN: velocity error, boundary violation, losses, loss history and the u(0.5, y) profile. */
export type CellResult = {
  err: number;
  bc: number;
  initialLoss: number;
  finalLoss: number;
  history: Array<[number, number]>;
  centre: number[];
};

/** y positions of the u(0.5, y) profile (Ghia's stations). */
export const STATIONS = GHIA_1982[100].y;

function problemFor(c: Case, cfg: Pal2025Config, fd: Record<'low' | 'high', CavityFlow>): FlowProblem {
  return c === 'pois' ? poiseuilleProblem(cfg.poiseuilleRe) : cavityProblem(c === 'high' ? fd.high : fd.low);
}

/** One PINN: build, train (Adam then L-BFGS), score against the reference. */
export function trainCell(
  ctx: RunContext,
  cfg: Pal2025Config,
  c: Case,
  seed: number,
  fd: Record<'low' | 'high', CavityFlow>,
): CellResult {
  const problem = problemFor(c, cfg, fd);
  const mode: BcMode = c === 'soft' ? 'soft' : 'hard';
  const rng = ctx.rng.split(`pinn-${c}-s${seed}`);
  const sizes = [2, ...Array.from({ length: cfg.depth }, () => cfg.width), 3];
  const net = new Mlp({ sizes, inputBox: problem.box }, rng.split('net'));
  const X = tf.tensor2d(latinHypercube(rng.split('collocation'), cfg.collocation, problem.box), [
    cfg.collocation,
    2,
  ]);
  const pinn = flowPinn(problem, net, X, mode, {
    rng: rng.split('boundary'),
    perSide: cfg.boundaryPerSide,
    weight: cfg.softWeight,
  });
  try {
    const r = trainPinn({
      variables: net.variables(),
      loss: pinn.loss,
      adam: { steps: cfg.adamSteps, lr: cfg.lr, decay: { every: Math.ceil(cfg.adamSteps / 3), factor: 0.3 } },
      lbfgs: { maxIter: cfg.lbfgsIters },
      recordEvery: Math.max(1, Math.floor(cfg.adamSteps / 40)),
      signal: ctx.signal,
    });
    const centre = tf.tidy(() =>
      Array.from(
        pinn
          .predict(
            tf.tensor2d(
              STATIONS.flatMap((y) => [0.5, y]),
              [STATIONS.length, 2],
            ),
          )
          .dataSync(),
      ).filter((_, k) => k % 3 === 0),
    );
    return {
      err: velocityError(problem, pinn, cfg.evalGrid),
      bc: boundaryViolation(problem, pinn, rng.split('bc-check'), 32),
      initialLoss: r.initialLoss,
      finalLoss: r.finalLoss,
      history: r.history.filter((_, i) => i % 2 === 0).map((h) => [h.step, h.loss]),
      centre,
    };
  } finally {
    pinn.dispose();
    X.dispose();
    net.dispose();
  }
}
