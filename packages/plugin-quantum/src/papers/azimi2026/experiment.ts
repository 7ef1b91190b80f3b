import {
  type ClaimResult,
  defineExperiment,
  type ExperimentOutput,
  type Rng,
  type SeriesRow,
  z,
} from '@paperlab/core';
import { linePlot } from '@paperlab/core/plots';
import { Sequential } from '@paperlab/core/train';
import * as tf from '@tensorflow/tfjs-core';
import { evaluateAttack, fgsm, imageAccuracy, logitsOf, pgd, pgdCurve } from '../../attacks/adversarial.js';
import { Circuit } from '../../circuits/circuit.js';
import { Z } from '../../circuits/observables.js';
import { type EntanglePattern, entangle } from '../../circuits/templates.js';
import { headOf, loadImages } from '../../data/images.js';
import { Stack, type Stage } from '../../layers/stack.js';
import { fitImages, gatherImages } from '../../models/imageTraining.js';
import { meanSem, pairedGap, pct, points, runSeedCells } from '../../models/seeds.js';
import { NoisyQuantumLayer } from '../../noise/densityAdjoint.js';

const PATTERNS = ['linear', 'star', 'full'] as const;

const config = z.strictObject({
  dataset: z
    .enum(['mnist', 'fashion-mnist'])
    .default('mnist')
    .describe('paper: MNIST, OrganAMNIST, CIFAR-10'),
  trainSize: z.number().int().min(50).max(60_000).default(2000),
  testSize: z.number().int().min(50).max(10_000).default(1000),
  attackSize: z
    .number()
    .int()
    .min(20)
    .max(10_000)
    .default(200)
    .describe('correctly or not, the first test images attacked'),
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

/** QShield's circuit: L × (RY(π/2·h) encoding → CNOT pattern → trainable RY, RZ), ⟨Z⟩ on every qubit. */
export function qshieldCircuit(qubits: number, layers: number, pattern: EntanglePattern): Circuit {
  const c = new Circuit(qubits);
  const wires = Array.from({ length: qubits }, (_, i) => i);
  for (let l = 0; l < layers; l++) {
    for (const w of wires) c.ry(w, c.input(w, Math.PI / 2));
    entangle(c, wires, pattern);
    for (const w of wires) c.ry(w, c.param()).rz(w, c.param());
  }
  return c;
}

/**
 * The hybrid: CNN features f → classical logits, and f → dense(q, tanh) → circuit (or fixed random
 * features) → dense(10) quantum logits; a small gate MLP on f weighs the two (softmax over 2).
 */
class FusionStage implements Stage {
  private readonly parts: Sequential[];
  constructor(
    private readonly backbone: Sequential,
    private readonly classicalHead: Sequential,
    private readonly pre: Sequential,
    private readonly module: {
      apply(x: tf.Tensor2D): tf.Tensor2D;
      variables(): tf.Variable[];
      dispose(): void;
    },
    private readonly quantumHead: Sequential,
    private readonly gate: Sequential,
  ) {
    this.parts = [backbone, classicalHead, pre, quantumHead, gate];
  }

  forward(x: tf.Tensor, training: boolean): tf.Tensor {
    return tf.tidy(() => {
      const f = this.backbone.forward(x, { training });
      const lc = this.classicalHead.forward(f, { training });
      const zq = this.module.apply(this.pre.forward(f, { training }) as tf.Tensor2D);
      const lq = this.quantumHead.forward(zq, { training });
      const w = tf.softmax(this.gate.forward(f, { training }));
      const [wc, wq] = tf.split(w, 2, 1);
      return tf.add(tf.mul(wc!, lc), tf.mul(wq!, lq));
    });
  }

  /** Mean fusion weight given to the quantum (or random-feature) logits over a batch. */
  quantumWeight(x: tf.Tensor): number {
    const w = tf.tidy(() =>
      tf.mean(
        tf.slice(
          tf.softmax(this.gate.forward(this.backbone.forward(x, { training: false }), { training: false })),
          [0, 1],
          [-1, 1],
        ),
      ),
    );
    const v = w.dataSync()[0]!;
    w.dispose();
    return v;
  }

  variables(): tf.Variable[] {
    return [...this.parts.flatMap((p) => p.variables()), ...this.module.variables()];
  }

  dispose(): void {
    for (const p of this.parts) p.dispose();
    this.module.dispose();
  }
}

/** Fixed random bounded features cos(W·θ + b) of the angles — the classical stand-in for the circuit. */
function randomFeatures(
  q: number,
  rng: Rng,
): { apply(x: tf.Tensor2D): tf.Tensor2D; variables(): tf.Variable[]; dispose(): void } {
  const w = tf.tensor2d(rng.normals(q * q, 0, Math.PI / 2), [q, q]);
  const b = tf.tensor1d(rng.uniforms(q, 0, 2 * Math.PI));
  return {
    apply: (x) => tf.tidy(() => tf.cos(tf.add(tf.matMul(x, w), b)) as tf.Tensor2D),
    variables: () => [],
    dispose: () => tf.dispose([w, b]),
  };
}

function buildModel(key: ModelKey, cfg: Azimi2026Config, rng: Rng, name: string): Stack {
  const s = cfg.imageSize;
  const q = cfg.qubits;
  const backbone = Sequential.build(
    [
      { type: 'conv2d', filters: 8, kernel: 3, activation: 'relu' },
      { type: 'maxPool', size: 2 },
      { type: 'conv2d', filters: 16, kernel: 3, activation: 'relu' },
      { type: 'maxPool', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 32, activation: 'relu' },
    ],
    [s, s, 1],
    rng.split('backbone'),
    `${name}/backbone`,
  );
  const classicalHead = Sequential.build(
    [{ type: 'dense', units: 10, init: 'glorot' }],
    [32],
    rng.split('head'),
    `${name}/head`,
  );
  if (key === 'classical' || key === 'adversarial') {
    const both = {
      forward: (x: tf.Tensor, t: boolean) =>
        tf.tidy(() => classicalHead.forward(backbone.forward(x, { training: t }), { training: t })),
      variables: () => [...backbone.variables(), ...classicalHead.variables()],
      dispose: () => {
        backbone.dispose();
        classicalHead.dispose();
      },
    };
    return new Stack([both]);
  }
  const pre = Sequential.build(
    [{ type: 'dense', units: q, activation: 'tanh', init: 'glorot' }],
    [32],
    rng.split('pre'),
    `${name}/pre`,
  );
  const quantumHead = Sequential.build(
    [{ type: 'dense', units: 10, init: 'glorot' }],
    [q],
    rng.split('qhead'),
    `${name}/qhead`,
  );
  const gate = Sequential.build(
    [
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dense', units: 2, init: 'zeros' },
    ],
    [32],
    rng.split('gate'),
    `${name}/gate`,
  );
  const module =
    key === 'randomTwin'
      ? randomFeatures(q, rng.split('random-features'))
      : new NoisyQuantumLayer({
          circuit: qshieldCircuit(q, cfg.layers, key === 'circuitOnly' ? 'full' : (key as EntanglePattern)),
          noise: cfg.noise,
          observables: Array.from({ length: q }, (_, i) => Z(i)),
          rng: rng.split('circuit'),
          name: `${name}/circuit`,
        });
  if (key === 'circuitOnly') {
    // The prediction must pass through the noisy circuit: backbone → tanh layer → circuit → head.
    classicalHead.dispose();
    gate.dispose();
    return new Stack([
      {
        forward: (x, t) =>
          tf.tidy(() =>
            quantumHead.forward(
              module.apply(pre.forward(backbone.forward(x, { training: t }), { training: t }) as tf.Tensor2D),
              { training: t },
            ),
          ),
        variables: () =>
          [backbone, pre, quantumHead].flatMap((p) => p.variables()).concat(module.variables()),
        dispose: () => {
          for (const p of [backbone, pre, quantumHead]) p.dispose();
          module.dispose();
        },
      },
    ]);
  }
  return new Stack([new FusionStage(backbone, classicalHead, pre, module, quantumHead, gate)]);
}

const epsKey = (e: number) => e.toFixed(3).replace(/0+$/, '').replace('.', 'p');

interface Cell {
  [key: string]: number;
}

function tooSmall(out: ExperimentOutput): boolean {
  return out.scalars.seeds! < 2 || out.scalars.train_size! < 500;
}

function asrOf(out: ExperimentOutput, key: ModelKey): number {
  return out.scalars[`${key}_pgd_asr`]!;
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
  claims: [
    {
      id: 'hybrid-keeps-accuracy',
      statement:
        'Every QShield variant keeps the clean accuracy of the classical CNN (paper: > 98% on MNIST)',
      check: (out): ClaimResult => {
        const s = out.scalars;
        const parts = PATTERNS.map(
          (p) => `${p} ${pct(s[`${p}_clean`])} (${points(s[`gap_clean_${p}`]!, s[`gap_clean_${p}_sem`])})`,
        );
        const measured = `classical ${pct(s.classical_clean)}; ${parts.join(', ')}`;
        const expected = `each hybrid ≥ classical − max(${points(0.015)}, 2 s.e.)`;
        if (tooSmall(out))
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        const ok = PATTERNS.every(
          (p) => s[`gap_clean_${p}`]! >= -Math.max(0.015, 2 * s[`gap_clean_${p}_sem`]!),
        );
        return { verdict: ok ? 'reproduced' : 'not-reproduced', measured, expected };
      },
    },
    {
      id: 'hybrid-lowers-asr',
      statement:
        'QShield lowers the attack success rate of white-box PGD (paper: up to 89% lower than the classical CNN)',
      check: (out, cfg) => {
        const s = out.scalars;
        const g = s.gap_asr_full!;
        const se = s.gap_asr_full_sem!;
        const measured = `PGD-${Math.max(...cfg.pgdSteps)} ε=${cfg.eps} success rate: classical ${pct(asrOf(out, 'classical'))}, QShield-full ${pct(asrOf(out, 'full'))} (${points(g, se)}), linear ${pct(asrOf(out, 'linear'))}, star ${pct(asrOf(out, 'star'))}`;
        const expected = `QShield-full ASR below the classical CNN's by > max(${points(cfg.margin)}, 2 s.e.) under the adaptive attack`;
        if (tooSmall(out))
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        return {
          verdict: -g > Math.max(cfg.margin, 2 * se) ? 'reproduced' : 'not-reproduced',
          measured,
          expected,
        };
      },
    },
    {
      id: 'full-entanglement-best',
      statement: 'Full entanglement gives the lowest attack success rate of the three patterns (paper)',
      check: (out, cfg) => {
        const asr = PATTERNS.map((p) => asrOf(out, p));
        const measured = PATTERNS.map(
          (p, i) => `${p} ${pct(asr[i])} ± ${(100 * out.scalars[`${p}_pgd_asr_sem`]!).toFixed(1)}`,
        ).join(', ');
        const expected = `ASR(full) below both linear and star by more than 2 s.e. (PGD-${Math.max(...cfg.pgdSteps)}, ε = ${cfg.eps})`;
        if (tooSmall(out))
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        const se = out.scalars.full_pgd_asr_sem!;
        const ok = asr[2]! + 2 * se < Math.min(asr[0]!, asr[1]!);
        return { verdict: ok ? 'reproduced' : 'not-reproduced', measured, expected };
      },
    },
    {
      id: 'circuit-path-robust',
      statement:
        'Control: when the prediction must pass through the noisy circuit (no classical bypass), the attack success rate is lower than the classical CNN’s',
      check: (out, cfg) => {
        const s = out.scalars;
        const g = s.gap_asr_circuit!;
        const se = s.gap_asr_circuit_sem!;
        const measured = `ASR circuit path only ${pct(asrOf(out, 'circuitOnly'))} (clean ${pct(s.circuitOnly_clean)}) vs classical ${pct(asrOf(out, 'classical'))} (${points(g, se)})`;
        const expected = `ASR below the classical CNN's by > max(${points(cfg.margin)}, 2 s.e.)`;
        if (tooSmall(out))
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        return {
          verdict: -g > Math.max(cfg.margin, 2 * se) ? 'reproduced' : 'not-reproduced',
          measured,
          expected,
        };
      },
    },
    {
      id: 'fusion-uses-circuit',
      statement:
        'Control: the learned fusion actually weighs the circuit branch (mean gate weight ≥ 10% for every entanglement pattern)',
      check: (out) => {
        const s = out.scalars;
        const w = PATTERNS.map((p) => s[`${p}_quantum_weight`]!);
        const measured = PATTERNS.map((p, i) => `${p} ${pct(w[i])}`).join(', ');
        const expected = 'mean softmax weight on the circuit logits ≥ 10%';
        if (tooSmall(out))
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        return { verdict: w.every((v) => v >= 0.1) ? 'reproduced' : 'not-reproduced', measured, expected };
      },
    },
    {
      id: 'attacks-reach-100',
      statement:
        'Control: with enough budget the adaptive attack succeeds on every model — PGD success rate ≥ 95% at the largest ε (no obfuscated gradients)',
      check: (out, cfg) => {
        const e = Math.max(...cfg.epsSweep);
        const vals = KEYS.map((k) => out.scalars[`${k}_pgd_eps_${epsKey(e)}_asr`]!);
        const measured = KEYS.map((k, i) => `${k} ${pct(vals[i])}`).join(', ');
        const expected = `every model's PGD-${cfg.sweepSteps} success rate ≥ 95% at ε = ${e}`;
        if (out.scalars.train_size! < 500)
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        return {
          verdict: vals.every((v) => v >= 0.95) ? 'reproduced' : 'not-reproduced',
          measured,
          expected,
        };
      },
    },
    {
      id: 'random-twin-as-robust',
      statement:
        'Control: a classical random-feature twin (same fusion, fixed cos features instead of the circuit) is as robust as QShield — the robustness is not specifically quantum',
      check: (out, cfg) => {
        const s = out.scalars;
        const g = s.gap_asr_twin_full!;
        const se = s.gap_asr_twin_full_sem!;
        const measured = `ASR random twin ${pct(asrOf(out, 'randomTwin'))} vs QShield-full ${pct(asrOf(out, 'full'))} (${points(g, se)})`;
        const expected = `twin ASR ≤ QShield-full ASR + max(${points(cfg.margin)}, 2 s.e.)`;
        if (tooSmall(out))
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        return {
          verdict: g <= Math.max(cfg.margin, 2 * se) ? 'reproduced' : 'not-reproduced',
          measured,
          expected,
        };
      },
    },
    {
      id: 'adversarial-training-stronger',
      statement:
        'Control: classical adversarial training lowers the attack success rate more than the quantum module does',
      check: (out) => {
        const s = out.scalars;
        const measured = `ASR adversarially trained CNN ${pct(asrOf(out, 'adversarial'))} (clean ${pct(s.adversarial_clean)}) vs QShield-full ${pct(asrOf(out, 'full'))} (clean ${pct(s.full_clean)})`;
        const expected = 'ASR(adversarial training) < ASR(QShield-full) by > 2 s.e.';
        if (tooSmall(out))
          return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
        const g = s.gap_asr_adv_full!;
        return {
          verdict: -g > 2 * s.gap_asr_adv_full_sem! ? 'reproduced' : 'not-reproduced',
          measured,
          expected,
        };
      },
    },
  ],
  async run(ctx, cfg) {
    const data = await loadImages(ctx.data, cfg.dataset, {
      train: cfg.trainSize,
      test: cfg.testSize,
      size: cfg.imageSize,
    });
    const attackSet = headOf(data.test, cfg.attackSize);
    const maxSteps = Math.max(...cfg.pgdSteps);
    const curves: SeriesRow[] = [];
    const results = await runSeedCells<Cell>(
      ctx,
      KEYS,
      cfg.seeds,
      (key, seed) => {
        const k = key as ModelKey;
        const model = buildModel(k, cfg, ctx.rng.split(`init-${seed}`), `azimi-${ctx.runId}-${key}-${seed}`);
        try {
          const trainRng = ctx.rng.split(`adv-train-${seed}`);
          fitImages(model, data.train, {
            epochs: cfg.epochs,
            batchSize: cfg.batchSize,
            lr: cfg.lr,
            rng: ctx.rng.split(`order-${seed}`),
            signal: ctx.signal,
            adversarial:
              k === 'adversarial'
                ? (f) => (x, y) => pgd(f, x, y, { eps: cfg.eps, steps: cfg.advTrainSteps, rng: trainRng })
                : undefined,
            onEpoch: (row) => {
              if (seed === 0) curves.push({ ...row, model: MODELS[k] });
            },
          });
          const f = logitsOf(model);
          const out: Cell = { clean: imageAccuracy(f, data.test) };
          const fusion = model.stages[0];
          if (fusion instanceof FusionStage) {
            const { x, y } = gatherImages(
              attackSet,
              Int32Array.from(attackSet.y, (_, i) => i),
            );
            out.quantum_weight = fusion.quantumWeight(x);
            tf.dispose([x, y]);
          }
          const fg = evaluateAttack(attackSet, (x, y) => fgsm(f, x, y, { eps: cfg.eps }), [f], {
            signal: ctx.signal,
          })[0]!;
          out.fgsm_asr = fg.successRate;
          out.fgsm_robust = fg.robust;
          const curve = pgdCurve(
            f,
            attackSet,
            {
              eps: cfg.eps,
              steps: maxSteps,
              checkpoints: cfg.pgdSteps,
              rng: ctx.rng.split(`pgd-${seed}-${key}`),
            },
            { signal: ctx.signal },
          );
          curve.steps.forEach((st, i) => {
            out[`pgd${st}_asr`] = curve.successRate[i]!;
            out[`pgd${st}_robust`] = curve.robust[i]!;
          });
          out.pgd_asr = curve.successRate[curve.steps.length - 1]!;
          for (const e of cfg.epsSweep) {
            const r = evaluateAttack(
              attackSet,
              (x, y) =>
                pgd(f, x, y, {
                  eps: e,
                  steps: cfg.sweepSteps,
                  rng: ctx.rng.split(`sweep-${seed}-${key}-${e}`),
                }),
              [f],
              { signal: ctx.signal },
            )[0]!;
            out[`pgd_eps_${epsKey(e)}_asr`] = r.successRate;
          }
          return out;
        } finally {
          model.dispose();
        }
      },
      (key, seed, r) => `${key} seed ${seed}: clean ${pct(r.clean)}, PGD ASR ${pct(r.pgd_asr)}`,
    );

    const scalars: Record<string, number> = {
      train_size: data.train.y.length,
      attack_size: attackSet.y.length,
      seeds: cfg.seeds,
      eps: cfg.eps,
      depolarizing: cfg.noise.depolarizing,
      amplitude_damping: cfg.noise.amplitudeDamping,
    };
    for (const k of KEYS) {
      for (const m of Object.keys(results[k]![0]!)) {
        const v = meanSem(results[k]!.map((c) => c[m]!));
        scalars[`${k}_${m}`] = v.mean;
        scalars[`${k}_${m}_sem`] = v.sem;
      }
    }
    const gap = (name: string, a: ModelKey, b: ModelKey, m: string) => {
      const g = pairedGap(
        results[a]!.map((c) => c[m]!),
        results[b]!.map((c) => c[m]!),
      );
      scalars[`gap_${name}`] = g.mean;
      scalars[`gap_${name}_sem`] = g.sem;
    };
    for (const p of PATTERNS) gap(`clean_${p}`, p, 'classical', 'clean');
    gap('asr_full', 'full', 'classical', 'pgd_asr');
    gap('asr_twin_full', 'randomTwin', 'full', 'pgd_asr');
    gap('asr_adv_full', 'adversarial', 'full', 'pgd_asr');
    gap('asr_circuit', 'circuitOnly', 'classical', 'pgd_asr');
    const stepRows: SeriesRow[] = [];
    const epsRows: SeriesRow[] = [];
    for (const k of KEYS) {
      for (const st of cfg.pgdSteps)
        stepRows.push({ model: k, steps: st, asr: scalars[`${k}_pgd${st}_asr`]! });
      for (const e of cfg.epsSweep)
        epsRows.push({ model: k, eps: e, asr: scalars[`${k}_pgd_eps_${epsKey(e)}_asr`]! });
    }
    return {
      scalars,
      series: { curves, steps: stepRows, eps: epsRows },
      tables: [
        {
          id: 'robustness',
          title: `Attack success rates on the first ${attackSet.y.length} ${cfg.dataset} test images (ε = ${cfg.eps}; noise p = ${cfg.noise.depolarizing}, γ = ${cfg.noise.amplitudeDamping}; ${cfg.seeds} seeds)`,
          columns: [
            'model',
            'clean acc',
            'fusion weight on circuit',
            'FGSM ASR',
            ...cfg.pgdSteps.map((st) => `PGD-${st} ASR`),
            ...cfg.epsSweep.map((e) => `PGD-${cfg.sweepSteps} ASR ε=${e}`),
          ],
          rows: KEYS.map((k) => [
            MODELS[k],
            scalars[`${k}_clean`]!,
            scalars[`${k}_quantum_weight`] ?? '—',
            scalars[`${k}_fgsm_asr`]!,
            ...cfg.pgdSteps.map((st) => scalars[`${k}_pgd${st}_asr`]!),
            ...cfg.epsSweep.map((e) => scalars[`${k}_pgd_eps_${epsKey(e)}_asr`]!),
          ]),
        },
      ],
      plots: [
        linePlot({
          id: 'azimi-pgd-steps',
          title: `PGD success rate vs steps (ε = ${cfg.eps})`,
          series: 'steps',
          x: 'steps',
          y: 'asr',
          color: 'model',
          xTitle: 'PGD steps',
          yTitle: 'attack success rate',
        }),
        linePlot({
          id: 'azimi-eps',
          title: `PGD-${cfg.sweepSteps} success rate vs ε`,
          series: 'eps',
          x: 'eps',
          y: 'asr',
          color: 'model',
          xTitle: 'ε',
          yTitle: 'attack success rate',
        }),
      ],
    };
  },
});
