import type { Rng } from '@paperlab/core';
import { Sequential } from '@paperlab/core/train';
import { zEach } from '../../circuits/observables.js';
import { ryRingAnsatz } from '../../circuits/templates.js';
import { circuitStage, cnnFront, denseTwin, linearHead, patchConv } from '../../layers/blocks.js';
import { Quanvolution } from '../../layers/quanvolution.js';
import { parallelStage, Stack, sequentialStage } from '../../layers/stack.js';
import type { Senokosov2023Config } from './experiment.js';

// The compared models of quantum/senokosov2023: the two hybrids (HQNN-Parallel, HQNN-Quanv) and their classical
// twins and counterpart.

/** The compared models and their names. */
export const MODELS = {
  parallel: 'HQNN-Parallel (CNN → parallel circuits → head)',
  parallelTwin: 'classical twin: each circuit → dense 4→4 (no bias) + tanh',
  quanv: 'HQNN-Quanv (trainable 2×2 quanvolution → head)',
  quanvTwin: 'classical twin: 2×2/2 conv, 4 filters + tanh',
  quanvWide: 'classical counterpart: 2×2/2 conv, more filters + ReLU',
} as const;
/** A compared model. */
export type ModelKey = keyof typeof MODELS;

/** One compared model, built under `name` from `rng`. */
export function buildModel(key: ModelKey, cfg: Senokosov2023Config, rng: Rng, name: string): Stack {
  const s = cfg.imageSize;
  const p = cfg.parallel;
  const width = p.circuits * p.qubits;
  if (key === 'parallel' || key === 'parallelTwin') {
    // Shared CNN front (same init for the hybrid and its twin under one seed): features bounded by tanh.
    const front = cnnFront(s, p.conv, width, rng.split('front'), `${name}/front`);
    const blocks = Array.from({ length: p.circuits }, (_, i) =>
      key === 'parallel'
        ? circuitStage(
            ryRingAnsatz(p.qubits, p.layers, p.inputScale),
            rng.split(`circuit-${i}`),
            `${name}/circuit-${i}`,
          )
        : sequentialStage(denseTwin(p.qubits, rng.split(`block-${i}`), `${name}/block-${i}`)),
    );
    const head = linearHead([width], rng.split('head'), `${name}/head`);
    const widths = blocks.map(() => p.qubits);
    return new Stack([sequentialStage(front), parallelStage(blocks, widths), sequentialStage(head)]);
  }
  const o = Math.floor(s / 2);
  if (key === 'quanv') {
    const quanv = new Quanvolution({
      kernel: 2,
      channels: 1,
      circuit: ryRingAnsatz(4, cfg.quanv.layers, Math.PI),
      observables: zEach(4),
      rng: rng.split('quanv'),
      name: `${name}/quanv`,
    });
    return new Stack([quanv, sequentialStage(linearHead([o, o, 4], rng.split('head'), `${name}/head`))]);
  }
  const twin = key === 'quanvTwin';
  const net = Sequential.build(
    [
      patchConv(twin ? 4 : cfg.quanv.wideFilters, twin ? 'tanh' : 'relu'),
      { type: 'flatten' },
      { type: 'dense', units: 10, init: 'glorot' },
    ],
    [s, s, 1],
    rng.split('net'),
    `${name}/net`,
  );
  return new Stack([sequentialStage(net)]);
}
