import type { Rng } from '@paperlab/core';
import { Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { quanvCircuit } from '../../circuits/ansatze.js';
import { zEach } from '../../circuits/observables.js';
import { patchConv } from '../../layers/blocks.js';
import { Quanvolution } from '../../layers/quanvolution.js';
import { reuploadHead } from '../../layers/reuploadHead.js';
import { mapStage, Stack, sequentialStage } from '../../layers/stack.js';
import type { Wang2024Config } from './experiment.js';

// The models of quantum/wang2024: the three levels of swapping classical layers for quantum ones, and controls.

/** The compared models and their names. */
export const MODELS = {
  level0: 'level 0: conv → conv → linear (no activations)',
  level0Relu: 'control: level 0 + ReLU after each conv',
  level0Mlp: 'control: level 0 with an MLP head',
  level1: 'level 1: quanv → quanv → linear',
  level1Mlp: 'control: level 1 with an MLP head',
  level2: 'level 2: quanv → quanv → re-uploading circuit',
} as const;
/** A compared model. */
export type ModelKey = keyof typeof MODELS;

/** Level 0 (two 2×2/2 convolutions, linear head), level 1 (quanvolutions), level 2 (re-uploading head), controls. */
export function buildModel(key: ModelKey, cfg: Wang2024Config, rng: Rng, name: string): Stack {
  const s = cfg.imageSize;
  const c = cfg.channels;
  const features = (s / 4) * (s / 4) * c;
  const quanv = (i: number, channels: number, features: number, scale: number, reupload: boolean) =>
    new Quanvolution({
      kernel: 2,
      channels,
      circuit: quanvCircuit(features, cfg.quanvLayers, scale, reupload),
      observables: zEach(c),
      rng: rng.split(`quanv-${i}`),
      name: `${name}/quanv-${i}`,
    });
  const convs = () => {
    const conv = patchConv(c, key === 'level0Relu' ? 'relu' : 'linear');
    return sequentialStage(
      Sequential.build([conv, conv, { type: 'flatten' }], [s, s, 1], rng.split('convs'), `${name}/convs`),
    );
  };
  const body =
    key === 'level1' || key === 'level1Mlp' || key === 'level2'
      ? [
          quanv(1, 1, 4, Math.PI, false),
          quanv(2, c, 4 * c, Math.PI / 2, true),
          mapStage((x) => tf.reshape(x, [x.shape[0]!, -1])),
        ]
      : [convs()];
  const hrng = rng.split('head');
  const h = cfg.head;
  if (key === 'level2') {
    const head = reuploadHead({
      features,
      qubits: h.qubits,
      layers: h.layers,
      rng: hrng,
      name: `${name}/head`,
    });
    return new Stack([...body, head]);
  }
  const mlp = key === 'level0Mlp' || key === 'level1Mlp';
  const hidden = mlp ? [{ type: 'dense', units: h.mlpHidden, activation: 'relu' } as const] : [];
  const out = { type: 'dense', units: 10, init: 'glorot' } as const;
  return new Stack([
    ...body,
    sequentialStage(Sequential.build([...hidden, out], [features], hrng, `${name}/head`)),
  ]);
}
