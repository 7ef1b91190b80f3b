import type { Rng, RunContext, Scalars, SeriesRow } from '@paperlab/core';
import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import type { ScalarView } from '@paperlab/core/kit';
import { claimsFor, grid, pct, points, runCells, seeds, table } from '@paperlab/core/kit';
import type { LayerSpec } from '@paperlab/core/train';
import { Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import {
  attackOn,
  epsKey,
  fgsmOn,
  imageAccuracy,
  imageBatch,
  type LogitsFn,
  logitsOf,
  pgdCurve,
  pgdOn,
} from '../../attacks/adversarial.js';
import { qshieldCircuit } from '../../circuits/ansatze.js';
import { zEach } from '../../circuits/observables.js';
import { headOf, type ImageSplits, loadImagesSized } from '../../data/images.js';
import { cnnFront, linearHead } from '../../layers/blocks.js';
import { featureStage, GatedFusion, randomCosFeatures } from '../../layers/fusion.js';
import { Stack, sequentialStage } from '../../layers/stack.js';
import { fitImages } from '../../models/imageTraining.js';
import { byModelPlot, seedZeroCurve } from '../../models/plots.js';
import { recordMeans } from '../../models/scalars.js';
import { byModel, recordGap } from '../../models/seeds.js';
import { NoisyQuantumLayer } from '../../noise/densityAdjoint.js';

const PATTERNS = ['linear', 'star', 'full'] as const;

const config = z.strictObject({
  dataset: z
    .enum(['mnist', 'fashion-mnist'])
    .default('mnist')
    .describe('paper: MNIST, OrganAMNIST, CIFAR-10'),
  trainSize: z.number().int().min(50).max(60_000).default(2000),
  testSize: z.number().int().min(50).max(10_000).default(1000),
  attackSize: z.number().int().min(20).max(10_000).default(200).describe('first test images, all attacked'),
  imageSize: z.number().int().min(8).max(28).default(14),
  qubits: z.number().int().min(2).max(5).default(4),
  layers: z.number().int().min(1).max(4).default(1).describe('encode → entangle → RY/RZ blocks'),
  noise: z
    .strictObject({
      depolarizing: z.number().min(0).max(1).default(0.01).describe('per gate, per touched qubit'),
      amplitudeDamping: z.number().min(0).max(1).default(0.01).describe('γ per gate, per touched qubit'),
    })
    .default({ depolarizing: 0.01, amplitudeDamping: 0.01 }),
  epochs: z.number().int().min(1).default(4),
  batchSize: z.number().int().min(8).default(50),
  lr: z.number().positive().default(5e-3),
  eps: z.number().positive().default(0.1).describe('headline L∞ budget (pixels in [0, 1])'),
  epsSweep: z.array(z.number().positive()).default([0.05, 0.1, 0.2, 0.3]),
  pgdSteps: z.array(z.number().int().min(1)).default([1, 5, 10, 20]).describe('PGD-steps sweep at ε'),
  sweepSteps: z.number().int().min(1).default(10).describe('PGD steps of the ε sweep'),
  advTrainSteps: z.number().int().min(1).default(3).describe('PGD steps of adversarial training (classical)'),
  seeds: z.number().int().min(1).max(10).default(3),
  margin: z.number().min(0).default(0.05).describe('ASR difference (fraction) that counts, on top of 2 s.e.'),
});

/** Config of quantum/azimi2026. */
export type Azimi2026Config = z.infer<typeof config>;

const MODELS = {
  classical: 'classical CNN',
  linear: 'QShield, linear entanglement',
  star: 'QShield, star entanglement',
  full: 'QShield, full entanglement',
  randomTwin: 'random-feature twin (fixed cos features instead of the circuit)',
  adversarial: 'classical CNN, PGD adversarial training',
  circuitOnly: 'circuit path only (full entanglement, no classical bypass)',
} as const;
type ModelKey = keyof typeof MODELS;
const KEYS = Object.keys(MODELS) as ModelKey[];

type Cfg = Azimi2026Config;
type CellMetric =
  | `${'clean' | 'quantum_weight' | 'pgd_asr' | `pgd_eps_${string}_asr`}`
  | `${'fgsm' | `pgd${number}`}_${'asr' | 'robust'}`;
type Gap = `clean_${(typeof PATTERNS)[number]}` | `asr_${'full' | 'twin_full' | 'adv_full' | 'circuit'}`;
type Run = 'train_size' | 'attack_size' | 'seeds' | 'eps' | 'depolarizing' | 'amplitude_damping';
type Scalar = Run | `${ModelKey}_${CellMetric}${'' | '_sem'}` | `gap_${Gap}${'' | '_sem'}`;
type Pos = { model: ModelKey; seed: number };
type Cell = Record<string, number>;

const claim = claimsFor<Cfg, Scalar>();
const enoughRun = [claim.atLeast('seeds', 2, 'seeds'), claim.atLeast('train_size', 500, 'training images')];
const asr = (s: ScalarView<Scalar>, k: ModelKey) => s[`${k}_pgd_asr`];
/** "Model − classical ASR below −max(margin, 2 s.e.)": the paired gap shows a lower attack success rate. */
const lowers = (s: ScalarView<Scalar>, cfg: Cfg, gap: 'asr_full' | 'asr_circuit') =>
  -s[`gap_${gap}`] > Math.max(cfg.margin, 2 * s[`gap_${gap}_sem`]);
const margin = { k: 2, margin: 'config.margin (default 0.05)' };
const ASR = ['asr', 'attack success rate'] as const;

/**
 * The models: the classical CNN (also adversarially trained); QShield — CNN features f → classical logits and
 * f → dense(q, tanh) → noisy circuit → dense(10), fused by a gate MLP on f; the same fusion with fixed random
 * cos features (twin); and the circuit path alone.
 */
function buildModel(key: ModelKey, cfg: Cfg, rng: Rng, name: string): Stack {
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
  return new Stack([new GatedFusion({ backbone, classicalHead: head(), pre, module, quantumHead, gate })]);
}

/**
 * One model and seed: training (PGD adversarial training for `adversarial`), clean accuracy, the fusion weight
 * on the circuit, FGSM at ε, the PGD-steps curve at ε and the PGD ε sweep — all adaptive white-box attacks.
 */
function trainAndAttack(ctx: RunContext, cfg: Cfg, p: Pos, data: ImageSplits, curves: SeriesRow[]): Cell {
  const { model: key, seed } = p;
  const attackSet = headOf(data.test, cfg.attackSize);
  const model = buildModel(key, cfg, ctx.rng.split(`init-${seed}`), `azimi-${ctx.runId}-${key}-${seed}`);
  try {
    const trainRng = ctx.rng.split(`adv-train-${seed}`);
    const advTrain = (f: LogitsFn) => pgdOn(f, { eps: cfg.eps, steps: cfg.advTrainSteps, rng: trainRng });
    fitImages(model, data.train, {
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      lr: cfg.lr,
      rng: ctx.rng.split(`order-${seed}`),
      signal: ctx.signal,
      adversarial: key === 'adversarial' ? advTrain : undefined,
      onEpoch: seedZeroCurve(curves, seed, MODELS[key]),
    });
    const f = logitsOf(model);
    const out: Cell = { clean: imageAccuracy(f, data.test) };
    const fusion = model.stages[0];
    if (fusion instanceof GatedFusion) {
      const { x, y } = imageBatch(attackSet, 0, attackSet.y.length);
      out.quantum_weight = fusion.quantumWeight(x);
      tf.dispose([x, y]);
    }
    const fg = attackOn(f, attackSet, fgsmOn(f, { eps: cfg.eps }), ctx.signal);
    [out.fgsm_asr, out.fgsm_robust] = [fg.successRate, fg.robust];
    const rng = ctx.rng.split(`pgd-${seed}-${key}`);
    const o = { eps: cfg.eps, steps: Math.max(...cfg.pgdSteps), checkpoints: cfg.pgdSteps, rng };
    const curve = pgdCurve(f, attackSet, o, { signal: ctx.signal });
    curve.steps.forEach((st, i) => {
      out[`pgd${st}_asr`] = curve.successRate[i]!;
      out[`pgd${st}_robust`] = curve.robust[i]!;
    });
    out.pgd_asr = curve.successRate[curve.steps.length - 1]!;
    for (const e of cfg.epsSweep) {
      const sweepRng = ctx.rng.split(`sweep-${seed}-${key}-${e}`);
      const sweep = pgdOn(f, { eps: e, steps: cfg.sweepSteps, rng: sweepRng });
      out[`pgd_eps_${epsKey(e)}_asr`] = attackOn(f, attackSet, sweep, ctx.signal).successRate;
    }
    return out;
  } finally {
    model.dispose();
  }
}

/** quantum/azimi2026: QShield — hybrid quantum-classical networks against adversarial attacks (Azimi et al. 2026). */
export const azimi2026 = defineExperiment({
  id: 'quantum/azimi2026',
  paper: {
    title: 'QShield: Securing Neural Networks Against Adversarial Attacks using Quantum Circuits',
    authors: 'Navid Azimi, Aditya Prakash, Yao Wang, Li Xiong',
    year: 2026,
    url: 'https://arxiv.org/abs/2604.10933',
  },
  summary:
    'QShield-style hybrids on downsampled MNIST: CNN features feed a classical head and, through a tanh ' +
    'layer, a 4-qubit circuit (RY angle encoding, linear/star/full CNOT entanglement, RY/RZ) simulated ' +
    'exactly as density matrices under depolarising and amplitude-damping noise after every gate; a gate ' +
    'MLP fuses the two logit sets. Attacks are adaptive white-box FGSM and PGD through the exact gradient ' +
    'of the noisy expectation (density-matrix adjoint). Controls in the same run: the classical CNN, a ' +
    'random-feature twin (fixed cos features instead of the circuit), classical PGD adversarial training, the ' +
    'circuit path alone (no classical bypass), the learned fusion weight on the circuit, ' +
    'a PGD-steps sweep and an ε sweep up to 0.3.',
  config,
  presets: {
    smoke: {
      trainSize: 100,
      testSize: 60,
      attackSize: 20,
      epochs: 1,
      epsSweep: [0.3],
      pgdSteps: [1, 2],
      sweepSteps: 2,
      advTrainSteps: 1,
      seeds: 1,
    },
    ci: {
      trainSize: 600,
      testSize: 300,
      attackSize: 60,
      epochs: 3,
      pgdSteps: [1, 5],
      sweepSteps: 5,
      seeds: 2,
    },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.custom({
      id: 'hybrid-keeps-accuracy',
      kind: 'paper',
      statement:
        'Every QShield variant keeps the clean accuracy of the classical CNN (paper: > 98% on MNIST)',
      source: {
        quote: 'the proposed hybrid models with entanglement patterns maintain high predictive accuracy',
        where: 'abstract; §7 (Results)',
        value: 'clean accuracy > 98% on MNIST',
        restated: 'each hybrid within max(1.5 pts, 2 s.e.) of the classical CNN trained in the same run',
      },
      requires: enoughRun,
      rule: { text: 'each hybrid ≥ classical − max(1.5 pts, 2 s.e.)', params: { k: 2, tolerance: 0.015 } },
      check: (s) => {
        const parts = PATTERNS.map(
          (p) => `${p} ${pct(s[`${p}_clean`])} (${points(s[`gap_clean_${p}`], s[`gap_clean_${p}_sem`])})`,
        );
        const ok = PATTERNS.every(
          (p) => s[`gap_clean_${p}`] >= -Math.max(0.015, 2 * s[`gap_clean_${p}_sem`]),
        );
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `classical ${pct(s.classical_clean)}; ${parts.join(', ')}`,
          expected: `each hybrid ≥ classical − max(${points(0.015)}, 2 s.e.)`,
        };
      },
    }),
    claim.custom({
      id: 'hybrid-lowers-asr',
      kind: 'paper',
      statement:
        'QShield lowers the attack success rate of white-box PGD (paper: up to 89% lower than the classical CNN)',
      source: {
        quote:
          'maintain high predictive accuracy while substantially reducing attack success rates across a wide range of adversarial attacks',
        where: 'abstract; §7 (Results)',
        value: 'attack success rate reduced by up to 89%',
        restated:
          'adaptive white-box PGD through the exact noisy expectation; QShield-full vs the classical CNN, paired over seeds',
      },
      requires: enoughRun,
      rule: {
        text: 'QShield-full ASR below the classical CNN’s by > max(margin, 2 s.e.) under the adaptive attack',
        params: margin,
      },
      check: (s, cfg) => ({
        verdict: lowers(s, cfg, 'asr_full') ? 'reproduced' : 'not-reproduced',
        measured: `PGD-${Math.max(...cfg.pgdSteps)} ε=${cfg.eps} success rate: classical ${pct(asr(s, 'classical'))}, QShield-full ${pct(asr(s, 'full'))} (${points(s.gap_asr_full, s.gap_asr_full_sem)}), linear ${pct(asr(s, 'linear'))}, star ${pct(asr(s, 'star'))}`,
        expected: `QShield-full ASR below the classical CNN's by > max(${points(cfg.margin)}, 2 s.e.) under the adaptive attack`,
      }),
    }),
    claim.custom({
      id: 'full-entanglement-best',
      kind: 'paper',
      statement: 'Full entanglement gives the lowest attack success rate of the three patterns (paper)',
      source: {
        quote:
          'the fully entangled variant achieves the lowest attack success rate, ahead of linear and star entanglement',
        where: '§7 (Results)',
      },
      requires: enoughRun,
      rule: {
        text: 'ASR(full) below both linear and star by more than 2 s.e. of ASR(full)',
        params: { k: 2 },
      },
      check: (s, cfg) => ({
        verdict:
          asr(s, 'full') + 2 * s.full_pgd_asr_sem < Math.min(asr(s, 'linear'), asr(s, 'star'))
            ? 'reproduced'
            : 'not-reproduced',
        measured: PATTERNS.map(
          (p) => `${p} ${pct(asr(s, p))} ± ${(100 * s[`${p}_pgd_asr_sem`]).toFixed(1)}`,
        ).join(', '),
        expected: `ASR(full) below both linear and star by more than 2 s.e. (PGD-${Math.max(...cfg.pgdSteps)}, ε = ${cfg.eps})`,
      }),
    }),
    claim.custom({
      id: 'circuit-path-robust',
      kind: 'control',
      statement:
        'Control: when the prediction must pass through the noisy circuit (no classical bypass), the attack success rate is lower than the classical CNN’s',
      requires: enoughRun,
      rule: { text: 'ASR below the classical CNN’s by > max(margin, 2 s.e.)', params: margin },
      check: (s, cfg) => ({
        verdict: lowers(s, cfg, 'asr_circuit') ? 'reproduced' : 'not-reproduced',
        measured: `ASR circuit path only ${pct(asr(s, 'circuitOnly'))} (clean ${pct(s.circuitOnly_clean)}) vs classical ${pct(asr(s, 'classical'))} (${points(s.gap_asr_circuit, s.gap_asr_circuit_sem)})`,
        expected: `ASR below the classical CNN's by > max(${points(cfg.margin)}, 2 s.e.)`,
      }),
    }),
    claim.custom({
      id: 'fusion-uses-circuit',
      kind: 'control',
      statement:
        'Control: the learned fusion actually weighs the circuit branch (mean gate weight ≥ 10% for every entanglement pattern)',
      requires: enoughRun,
      rule: { text: 'mean softmax weight on the circuit logits ≥ 10%', params: { min: 0.1 } },
      check: (s) => ({
        verdict: PATTERNS.every((p) => s[`${p}_quantum_weight`] >= 0.1) ? 'reproduced' : 'not-reproduced',
        measured: PATTERNS.map((p) => `${p} ${pct(s[`${p}_quantum_weight`])}`).join(', '),
      }),
    }),
    claim.custom({
      id: 'attacks-reach-100',
      kind: 'control',
      statement:
        'Control: with enough budget the adaptive attack succeeds on every model — PGD success rate ≥ 95% at the largest ε (no obfuscated gradients)',
      requires: [claim.atLeast('train_size', 500, 'training images')],
      rule: {
        text: 'every model’s PGD success rate ≥ 95% at the largest ε of the sweep',
        params: { min: 0.95 },
      },
      check: (s, cfg) => {
        const e = Math.max(...cfg.epsSweep);
        // The strict view throws on a missing key; `!` only narrows the ε-pattern key's type.
        const vals = KEYS.map((k) => s[`${k}_pgd_eps_${epsKey(e)}_asr`]!);
        return {
          verdict: vals.every((v) => v >= 0.95) ? 'reproduced' : 'not-reproduced',
          measured: KEYS.map((k, i) => `${k} ${pct(vals[i])}`).join(', '),
          expected: `every model's PGD-${cfg.sweepSteps} success rate ≥ 95% at ε = ${e}`,
        };
      },
    }),
    claim.custom({
      id: 'random-twin-as-robust',
      kind: 'control',
      statement:
        'Control: a classical random-feature twin (same fusion, fixed cos features instead of the circuit) is as robust as QShield — the robustness is not specifically quantum',
      requires: enoughRun,
      rule: { text: 'twin ASR ≤ QShield-full ASR + max(margin, 2 s.e.)', params: margin },
      check: (s, cfg) => ({
        verdict:
          s.gap_asr_twin_full <= Math.max(cfg.margin, 2 * s.gap_asr_twin_full_sem)
            ? 'reproduced'
            : 'not-reproduced',
        measured: `ASR random twin ${pct(asr(s, 'randomTwin'))} vs QShield-full ${pct(asr(s, 'full'))} (${points(s.gap_asr_twin_full, s.gap_asr_twin_full_sem)})`,
        expected: `twin ASR ≤ QShield-full ASR + max(${points(cfg.margin)}, 2 s.e.)`,
      }),
    }),
    claim.custom({
      id: 'adversarial-training-stronger',
      kind: 'control',
      statement:
        'Control: classical adversarial training lowers the attack success rate more than the quantum module does',
      requires: enoughRun,
      rule: { text: 'ASR(adversarial training) < ASR(QShield-full) by > 2 s.e.', params: { k: 2 } },
      check: (s) => ({
        verdict: -s.gap_asr_adv_full > 2 * s.gap_asr_adv_full_sem ? 'reproduced' : 'not-reproduced',
        measured: `ASR adversarially trained CNN ${pct(asr(s, 'adversarial'))} (clean ${pct(s.adversarial_clean)}) vs QShield-full ${pct(asr(s, 'full'))} (clean ${pct(s.full_clean)})`,
      }),
    }),
  ],
  async run(ctx, cfg) {
    const data = await loadImagesSized(ctx.data, cfg.dataset, cfg);
    const curves: SeriesRow[] = [];
    const done = await runCells(ctx, {
      label: 'models × seeds',
      cells: grid({ model: KEYS, seed: seeds(cfg.seeds) }),
      key: ({ model, seed }) => `${model}-s${seed}`,
      run: (c) => trainAndAttack(ctx, cfg, c, data, curves),
      describe: ({ model, seed }, r) =>
        `${model} seed ${seed}: clean ${pct(r.clean)}, PGD ASR ${pct(r.pgd_asr)}`,
    });
    const attackSize = Math.min(cfg.attackSize, data.test.y.length);
    const scalars: Scalars<Scalar> = {
      train_size: data.train.y.length,
      attack_size: attackSize,
      seeds: cfg.seeds,
      eps: cfg.eps,
      depolarizing: cfg.noise.depolarizing,
      amplitude_damping: cfg.noise.amplitudeDamping,
    };
    const results = byModel(done, KEYS);
    for (const k of KEYS) recordMeans(scalars, k, results[k]!);
    const gap = (name: Gap, a: ModelKey, b: ModelKey, m: CellMetric) =>
      recordGap<string>(results, scalars, name, a, b, m);
    for (const p of PATTERNS) gap(`clean_${p}`, p, 'classical', 'clean');
    gap('asr_full', 'full', 'classical', 'pgd_asr');
    gap('asr_twin_full', 'randomTwin', 'full', 'pgd_asr');
    gap('asr_adv_full', 'adversarial', 'full', 'pgd_asr');
    gap('asr_circuit', 'circuitOnly', 'classical', 'pgd_asr');
    const v = (k: ModelKey, m: CellMetric) => scalars[`${k}_${m}`]!;
    const stepRows = KEYS.flatMap((model) =>
      cfg.pgdSteps.map((steps) => ({ model, steps, asr: v(model, `pgd${steps}_asr`) })),
    );
    const epsRows = KEYS.flatMap((model) =>
      cfg.epsSweep.map((eps) => ({ model, eps, asr: v(model, `pgd_eps_${epsKey(eps)}_asr`) })),
    );
    return {
      scalars,
      series: { curves, steps: stepRows, eps: epsRows },
      tables: [
        table(
          'robustness',
          `Attack success rates on the first ${attackSize} ${cfg.dataset} test images (ε = ${cfg.eps}; noise p = ${cfg.noise.depolarizing}, γ = ${cfg.noise.amplitudeDamping}; ${cfg.seeds} seeds)`,
          [
            'model',
            'clean acc',
            'fusion weight on circuit',
            'FGSM ASR',
            ...cfg.pgdSteps.map((st) => `PGD-${st} ASR`),
            ...cfg.epsSweep.map((e) => `PGD-${cfg.sweepSteps} ASR ε=${e}`),
          ],
          KEYS.map((k) => [
            MODELS[k],
            v(k, 'clean'),
            scalars[`${k}_quantum_weight`] ?? '—',
            v(k, 'fgsm_asr'),
            ...cfg.pgdSteps.map((st) => v(k, `pgd${st}_asr`)),
            ...cfg.epsSweep.map((e) => v(k, `pgd_eps_${epsKey(e)}_asr`)),
          ]),
        ),
      ],
      plots: [
        byModelPlot(
          'azimi-pgd-steps',
          `PGD success rate vs steps (ε = ${cfg.eps})`,
          'steps',
          ['steps', 'PGD steps'],
          ASR,
        ),
        byModelPlot('azimi-eps', `PGD-${cfg.sweepSteps} success rate vs ε`, 'eps', ['eps', 'ε'], ASR),
      ],
    };
  },
});
