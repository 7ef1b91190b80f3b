import type { Rng, RunContext, SeriesRow } from '@paperlab/core';
import type { LayerSpec } from '@paperlab/core/train';
import { Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import type { LogitsFn } from '../../attacks/adversarial.js';
import { attackProfile, imageAccuracy, imageBatch, logitsOf, pgdOn } from '../../attacks/adversarial.js';
import { qshieldCircuit } from '../../circuits/ansatze.js';
import { zEach } from '../../circuits/observables.js';
import { headOf, type ImageSplits } from '../../data/images.js';
import { cnnFront, linearHead } from '../../layers/blocks.js';
import { featureStage, GatedFusion, randomCosFeatures } from '../../layers/fusion.js';
import { Stack, sequentialStage } from '../../layers/stack.js';
import { fitImages } from '../../models/imageTraining.js';
import { seedZeroCurve } from '../../models/plots.js';
import { NoisyQuantumLayer } from '../../noise/densityAdjoint.js';
import type { Azimi2026Config as Cfg } from './experiment.js';

// The models of quantum/azimi2026 (QShield hybrids and their classical controls), and one model's training and
// attacks.

/** The compared models and their names in the table. */
export const MODELS = {
  classical: 'classical CNN',
  linear: 'QShield, linear entanglement',
  star: 'QShield, star entanglement',
  full: 'QShield, full entanglement',
  randomTwin: 'random-feature twin (fixed cos features instead of the circuit)',
  adversarial: 'classical CNN, PGD adversarial training',
  circuitOnly: 'circuit path only (full entanglement, no classical bypass)',
} as const;
/** A compared model. */
export type ModelKey = keyof typeof MODELS;
/** Every compared model, in table order. */
export const KEYS = Object.keys(MODELS) as ModelKey[];

/** One cell of the run: a model and a seed. */
export type Pos = { model: ModelKey; seed: number };
/** What one cell measured (clean and attacked figures). */
export type Cell = Record<string, number>;

/**
 * The models: the classical CNN (also adversarially trained); QShield — CNN features f → classical logits and
 * f → dense(q, tanh) → noisy circuit → dense(10), fused by a gate MLP on f; the same fusion with fixed random
 * cos features (twin); and the circuit path alone.
 */
export function buildModel(key: ModelKey, cfg: Cfg, rng: Rng, name: string): Stack {
  const q = cfg.qubits;
  const backbone = cnnFront(cfg.imageSize, [8, 16], 32, rng.split('backbone'), `${name}/backbone`, 'relu');
  const head = () => linearHead([32], rng.split('head'), `${name}/head`);
  if (key === 'classical' || key === 'adversarial')
    return new Stack([sequentialStage(backbone), sequentialStage(head())]);
  const toAngles: LayerSpec = { type: 'dense', units: q, activation: 'tanh', init: 'glorot' };
  const pre = Sequential.build([toAngles], [32], rng.split('pre'), `${name}/pre`);
  const quantumHead = linearHead([q], rng.split('qhead'), `${name}/qhead`);
  const module =
    key === 'randomTwin'
      ? randomCosFeatures(q, rng.split('random-features'))
      : new NoisyQuantumLayer({
          circuit: qshieldCircuit(q, cfg.layers, key === 'circuitOnly' ? 'full' : key),
          noise: cfg.noise,
          observables: zEach(q),
          rng: rng.split('circuit'),
          name: `${name}/circuit`,
        });
  // The circuit path alone: the prediction must pass through the noisy circuit.
  if (key === 'circuitOnly')
    return new Stack([
      ...[backbone, pre].map(sequentialStage),
      featureStage(module),
      sequentialStage(quantumHead),
    ]);
  const gateSpecs: LayerSpec[] = [
    { type: 'dense', units: 8, activation: 'relu' },
    { type: 'dense', units: 2, init: 'zeros' },
  ];
  const gate = Sequential.build(gateSpecs, [32], rng.split('gate'), `${name}/gate`);
  const parts = { backbone, classicalHead: head(), pre, module, quantumHead, gate };
  return new Stack([new GatedFusion({ ...parts, floor: cfg.gateFloor, moduleLoss: cfg.circuitLoss })]);
}

/**
 * One model and seed: training (PGD adversarial training for `adversarial`), clean accuracy, the fusion weight
 * on the circuit, FGSM at ε, the PGD-steps curve at ε and the PGD ε sweep — all adaptive white-box attacks.
 */
export async function trainAndAttack(
  ctx: RunContext,
  cfg: Cfg,
  p: Pos,
  data: ImageSplits,
  curves: SeriesRow[],
): Promise<Cell> {
  const { model: key, seed } = p;
  const attackSet = headOf(data.test, cfg.attackSize);
  const model = buildModel(key, cfg, ctx.rng.split(`init-${seed}`), `azimi-${ctx.runId}-${key}-${seed}`);
  try {
    const trainRng = ctx.rng.split(`adv-train-${seed}`);
    const advTrain = (f: LogitsFn) => pgdOn(f, { eps: cfg.eps, steps: cfg.advTrainSteps, rng: trainRng });
    const fusion = model.stages[0] instanceof GatedFusion ? model.stages[0] : null;
    const fitted = await fitImages(model, data.train, {
      ...(fusion ? { loss: fusion.loss() } : {}),
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      lr: cfg.lr,
      rng: ctx.rng.split(`order-${seed}`),
      signal: ctx.signal,
      adversarial: key === 'adversarial' ? advTrain : undefined,
      onEpoch: seedZeroCurve(curves, seed, MODELS[key]),
    });
    const f = logitsOf(model);
    const out: Cell = { clean: imageAccuracy(f, data.test), train: imageAccuracy(f, data.train) };
    out.plateau = Number(fitted.plateaued);
    if (fusion) {
      const { x, y } = imageBatch(attackSet, 0, attackSet.y.length);
      out.quantum_weight = fusion.quantumWeight(x);
      out.circuit_acc = imageAccuracy((xx) => fusion.moduleBranch(xx), data.test);
      tf.dispose([x, y]);
    }
    const rngOf = (tag: string) => ctx.rng.split(`${tag}-${seed}-${key}`);
    return { ...out, ...attackProfile(f, attackSet, { ...cfg, rngOf, signal: ctx.signal }) };
  } finally {
    model.dispose();
  }
}
