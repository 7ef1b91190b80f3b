import type { Rng } from '@paperlab/core';
import { mean } from '@paperlab/core/kit';
import { fitQrnn, Qrnn, type QrnnSpec, qrnnParamCount } from './qrnn.js';
import { fitMatchedRecurrent, type RnnKind, type SequenceData } from './recurrent.js';

/** A trained sequence model's scores and, for the QRNN, the cost of post-selection. */
export interface SequenceModelResult {
  [key: string]: number | number[];
  /** Trainable parameters. */
  params: number;
  /** Accuracy at the scored steps (e.g. XOR: the predictable bits; MNIST: the label at the end). */
  accuracy: number;
  /** Accuracy at the unpredictable steps, where there are any (chance level expected); else NaN. */
  randomAccuracy: number;
  /** Training loss per epoch. */
  losses: number[];
  /** QRNN only: mean log10 of the expected repetitions 1/P(all post-selections succeed). */
  log10Repetitions: number;
  /** QRNN only: geometric-mean success probability per neuron application. */
  neuronSuccess: number;
}

/** Options of {@link trainSequenceModel}. */
export interface SequenceModelOptions {
  /** The QRNN's shape (the GRU/LSTM match its parameter count). */
  spec: QrnnSpec;
  /** Training sequences. */
  train: SequenceData;
  /** Test sequences (scored). */
  test: SequenceData;
  /** QRNN epochs (the GRU/LSTM's are scaled by `baselines.epochsFactor`). */
  epochs: number;
  /** Sequences per step. */
  batchSize: number;
  /** QRNN Adam learning rate. */
  lr: number;
  /** QRNN initial weights ~ N(0, weightStd), biases ~ U(biasRange). */
  init: { weightStd: number; biasRange: readonly [number, number] };
  /** GRU/LSTM: epochs relative to the QRNN's, and their learning rate. */
  baselines: { epochsFactor: number; lr: number };
  /** Initialisation and batch order. */
  rng: { init: Rng; order: Rng };
  /** Name prefix of the GRU/LSTM variables. */
  name: string;
  /** Aborts training. */
  signal?: AbortSignal;
  /** The QRNN's epoch losses (logging). */
  onEpoch?: (epoch: number, loss: number) => void;
  /** Scores the test probabilities: scored-step and unpredictable-step accuracy. */
  score(probs: ArrayLike<number>, test: SequenceData): { scored: number; random: number };
}

/**
 * Trains a QRNN (Bausch 2020) or a GRU/LSTM with the parameter count closest to it, and scores it on the test
 * sequences; for the QRNN also the expected post-selection repetitions.
 */
export async function trainSequenceModel(
  kind: 'qrnn' | RnnKind,
  o: SequenceModelOptions,
): Promise<SequenceModelResult> {
  const { spec, train, test } = o;
  let fit: { params: number; losses: number[]; probs: ArrayLike<number> };
  // Post-selection cost (QRNN only; NaN for the classical baselines).
  let meanLog = Number.NaN;
  let neurons = Number.NaN;
  if (kind === 'qrnn') {
    const [biasLo, biasHi] = o.init.biasRange;
    const qrnn = new Qrnn(spec, o.rng.init, { weightStd: o.init.weightStd, biasLo, biasHi });
    const losses = await fitQrnn(qrnn, train, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      lr: o.lr,
      rng: o.rng.order,
      signal: o.signal,
      onEpoch: o.onEpoch,
    });
    const f = qrnn.forward(test.x, test.n, test.steps);
    fit = { params: qrnn.params.length, losses, probs: f.probs };
    meanLog = mean(Array.from(f.logSuccess));
    neurons = test.steps * qrnn.neuronsPerStep;
  } else {
    fit = await fitMatchedRecurrent(kind, train, test, qrnnParamCount(spec), {
      epochs: Math.max(1, Math.round(o.epochs * o.baselines.epochsFactor)),
      batchSize: o.batchSize,
      lr: o.baselines.lr,
      init: o.rng.init,
      rng: o.rng.order,
      name: o.name,
      signal: o.signal,
    });
  }
  const scored = o.score(fit.probs, test);
  return {
    params: fit.params,
    accuracy: scored.scored,
    randomAccuracy: scored.random,
    losses: fit.losses,
    log10Repetitions: -meanLog / Math.LN10,
    neuronSuccess: Math.exp(meanLog / neurons),
  };
}
