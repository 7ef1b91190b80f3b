import type { Rng, SeriesRow } from '@paperlab/core';
import { Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { Chain } from './chain.js';
import { fitMinibatches } from './classifier.js';

/** Options of {@link fitAutoencoder}. */
export interface AutoencoderOptions {
  /** Input width (e.g. 784 pixels). */
  dim: number;
  hidden: number;
  latent: number;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Encoder and decoder initialisation (`enc`, `dec`) and batch order (`order`) are split from it. */
  rng: Rng;
  /** Prefix of the encoder's and decoder's names. */
  name: string;
  signal?: AbortSignal;
  /** Called after each epoch. */
  onEpoch?: (row: SeriesRow) => void;
}

/** Latent codes of both splits and the mean squared reconstruction error per input value of each. */
export interface EncodedSplits {
  train: Float32Array;
  test: Float32Array;
  reconTrain: number;
  reconTest: number;
}

/**
 * Trains a dense autoencoder dim → hidden → latent → hidden → dim (ReLU, sigmoid output, MSE, Adam) on the
 * `train` rows, then encodes both splits; the networks are disposed.
 */
export async function fitAutoencoder(
  train: Float32Array,
  test: Float32Array,
  o: AutoencoderOptions,
): Promise<EncodedSplits> {
  const { dim, latent } = o;
  const enc = Sequential.build(
    [
      { type: 'dense', units: o.hidden, activation: 'relu' },
      { type: 'dense', units: latent },
    ],
    [dim],
    o.rng.split('enc'),
    `${o.name}-enc`,
  );
  const dec = Sequential.build(
    [
      { type: 'dense', units: o.hidden, activation: 'relu' },
      { type: 'dense', units: dim, activation: 'sigmoid' },
    ],
    [latent],
    o.rng.split('dec'),
    `${o.name}-dec`,
  );
  const model = new Chain([enc, dec]);
  try {
    await fitMinibatches(
      model,
      train.length / dim,
      (idx) => {
        const xb = new Float32Array(idx.length * dim);
        idx.forEach((j, i) => {
          xb.set(train.subarray(j * dim, (j + 1) * dim), i * dim);
        });
        const x = tf.tensor2d(xb, [idx.length, dim]);
        return { x, y: tf.clone(x) };
      },
      'mse',
      {
        epochs: o.epochs,
        batchSize: o.batchSize,
        lr: o.lr,
        rng: o.rng.split('order'),
        signal: o.signal,
        onEpoch: o.onEpoch,
      },
    );
    const encode = (x: Float32Array) => {
      const n = x.length / dim;
      const out = new Float32Array(n * latent);
      let mse = 0;
      for (let i = 0; i < n; i += 1024) {
        const b = Math.min(1024, n - i);
        const xb = tf.tensor2d(x.subarray(i * dim, (i + b) * dim), [b, dim]);
        const [zb, err] = tf.tidy(() => {
          const zt = enc.forward(xb, { training: false });
          const recon = dec.forward(zt, { training: false });
          return [zt, tf.sum(tf.square(tf.sub(recon, xb)))];
        });
        out.set(zb!.dataSync() as Float32Array, i * latent);
        mse += err!.dataSync()[0]!;
        tf.dispose([xb, zb!, err!]);
      }
      return { z: out, mse: mse / (n * dim) };
    };
    const a = encode(train);
    const b = encode(test);
    return { train: a.z, test: b.z, reconTrain: a.mse, reconTest: b.mse };
  } finally {
    model.dispose();
  }
}
