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
import {
  type Attack,
  evaluateAttack,
  fgsm,
  imageAccuracy,
  type LogitsFn,
  logitsOf,
  meanGradientNorm,
  pgd,
} from '../../attacks/adversarial.js';
import { Circuit } from '../../circuits/circuit.js';
import { Z } from '../../circuits/observables.js';
import { encodedAnsatz } from '../../circuits/templates.js';
import { headOf, loadImages } from '../../data/images.js';
import { QuantumLayer } from '../../layers/quantumLayer.js';
import { quantumStage, Stack, sequentialStage } from '../../layers/stack.js';
import { fitImages } from '../../models/imageTraining.js';
import { trainingLossPlot } from '../../models/plots.js';
import { meanSem, pairedGap, pct, points, runSeedCells } from '../../models/seeds.js';

const config = z.strictObject({
  datasets: z
    .array(z.enum(['mnist', 'fashion-mnist']))
    .min(1)
    .default(['mnist', 'fashion-mnist'])
    .describe('datasets (paper: MNIST, CIFAR-100, STL-10; the latter two are not available offline)'),
  trainSize: z.number().int().min(50).max(60_000).default(2000),
  testSize: z.number().int().min(50).max(10_000).default(1000).describe('clean test images'),
  attackSize: z.number().int().min(20).max(10_000).default(300).describe('test images attacked'),
  imageSize: z.number().int().min(8).max(28).default(14),
  qubits: z.number().int().min(2).max(8).default(4).describe('qubits of the variational layer (paper: 4)'),
  layers: z.number().int().min(1).max(8).default(2).describe('variational layers'),
  conv: z.tuple([z.number().int().min(1), z.number().int().min(1)]).default([8, 16]),
  epochs: z.number().int().min(1).default(10),
  batchSize: z.number().int().min(8).default(50),
  lr: z.number().positive().default(1e-2),
  eps: z.number().positive().default(0.1).describe('headline perturbation budget (paper: ε = 0.1)'),
  epsSweep: z.array(z.number().positive()).default([0.02, 0.05, 0.1, 0.2, 0.3]).describe('FGSM ε sweep'),
  pgdSteps: z.number().int().min(1).default(20),
  largeEps: z.number().positive().default(0.3).describe('PGD budget at which every model should break'),
  seeds: z.number().int().min(1).max(20).default(3),
  margin: z
    .number()
    .min(0)
    .default(0.02)
    .describe('gain (fraction) that counts as "hybrid better", on top of 2 s.e.'),
});

/** Config of quantum/shahzad2025. */
export type Shahzad2025Config = z.infer<typeof config>;

const MODELS = {
  classical: 'classical: CNN → dense(4, tanh) → head',
  hybrid: 'hybrid: CNN → dense(4, tanh) → 4-qubit VQC → head',
  twin: 'classical twin: CNN → dense(4, tanh) → dense(4→4, tanh) → head',
} as const;
type ModelKey = keyof typeof MODELS;
const KEYS = Object.keys(MODELS) as ModelKey[];

/** The variational layer: RY(π/2·h) encoding, L × (RY, RZ on every qubit → CNOT ring), ⟨Z⟩ on every qubit. */
export function shahzadCircuit(qubits: number, layers: number): Circuit {
  return encodedAnsatz(new Circuit(qubits), {
    qubits,
    features: qubits,
    layers,
    encoding: ['ry'],
    rotations: ['ry', 'rz'],
    entangle: 'ring',
    inputScale: Math.PI / 2,
  });
}

function buildModel(key: ModelKey, cfg: Shahzad2025Config, rng: Rng, name: string): Stack {
  const s = cfg.imageSize;
  const q = cfg.qubits;
  // Identical backbone (same init under one seed) for all three models.
  const backbone = Sequential.build(
    [
      { type: 'conv2d', filters: cfg.conv[0], kernel: 3, activation: 'relu' },
      { type: 'maxPool', size: 2 },
      { type: 'conv2d', filters: cfg.conv[1], kernel: 3, activation: 'relu' },
      { type: 'maxPool', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: q, activation: 'tanh' },
    ],
    [s, s, 1],
    rng.split('backbone'),
    `${name}/backbone`,
  );
  const head = Sequential.build(
    [{ type: 'dense', units: 10, init: 'glorot' }],
    [q],
    rng.split('head'),
    `${name}/head`,
  );
  if (key === 'classical') return new Stack([sequentialStage(backbone), sequentialStage(head)]);
  const middle =
    key === 'hybrid'
      ? quantumStage(
          new QuantumLayer({
            circuit: shahzadCircuit(q, cfg.layers),
            observables: Array.from({ length: q }, (_, i) => Z(i)),
            rng: rng.split('vqc'),
            name: `${name}/vqc`,
          }),
        )
      : sequentialStage(
          Sequential.build(
            [{ type: 'dense', units: q, activation: 'tanh', bias: false, init: 'glorot' }],
            [q],
            rng.split('dense'),
            `${name}/dense`,
          ),
        );
  return new Stack([sequentialStage(backbone), middle, sequentialStage(head)]);
}

const epsKey = (e: number) => e.toFixed(3).replace(/0+$/, '').replace('.', 'p');

interface Cell {
  [key: string]: number;
}

/** A claim over every dataset: hybrid − classical paired gap of metric `m` above max(margin, 2 s.e.). */
function gainClaim(
  out: ExperimentOutput,
  cfg: Shahzad2025Config,
  metric: string,
  label: string,
  paper: string,
): ClaimResult {
  const s = out.scalars;
  const parts: string[] = [];
  let ok = true;
  for (const ds of cfg.datasets) {
    const g = s[`${ds}_gap_${metric}`]!;
    const se = s[`${ds}_gap_${metric}_sem`]!;
    parts.push(
      `${ds}: hybrid ${pct(s[`${ds}_hybrid_${metric}`])} vs classical ${pct(s[`${ds}_classical_${metric}`])} (${points(g, se)}; param-matched twin ${pct(s[`${ds}_twin_${metric}`])})`,
    );
    if (!(g > Math.max(cfg.margin, 2 * se))) ok = false;
  }
  const measured = parts.join('; ');
  const expected = `hybrid ${label} above the identical classical backbone by > max(${points(cfg.margin)}, 2 paired s.e.) on every dataset (${paper})`;
  if (s.seeds! < 2 || s.train_size! < 500)
    return { verdict: 'inconclusive', measured: `${measured}; too small a run`, expected };
  return { verdict: ok ? 'reproduced' : 'not-reproduced', measured, expected };
}

/** quantum/shahzad2025: hybrid vs classical CNN accuracy and adversarial robustness (Shahzad 2025). */
export const shahzad2025 = defineExperiment({
  id: 'quantum/shahzad2025',
  paper: {
    title: 'Hybrid Quantum-Classical Model for Image Classification',
    authors: 'Muhammad Adnan Shahzad',
    year: 2025,
    url: 'https://arxiv.org/abs/2509.13353',
  },
  summary:
    'One CNN backbone ending in a 4-unit tanh bottleneck, trained three ways from the same initialisation and ' +
    'batch order: straight into the linear head (classical), through a 4-qubit variational circuit (hybrid), ' +
    'or through a parameter-matched dense layer (twin). Clean accuracy on MNIST and Fashion-MNIST, FGSM at ' +
    'ε = 0.1 as in the paper, and the controls that tell robustness from gradient masking: an FGSM ε sweep, ' +
    'PGD with random start, transfer attacks between the models, PGD at a large ε, and input-gradient norms.',
  config,
  presets: {
    smoke: {
      datasets: ['mnist'],
      trainSize: 150,
      testSize: 60,
      attackSize: 30,
      epochs: 1,
      layers: 1,
      epsSweep: [0.1, 0.3],
      pgdSteps: 2,
      seeds: 1,
    },
    ci: {
      datasets: ['mnist'],
      trainSize: 600,
      testSize: 300,
      attackSize: 100,
      epochs: 3,
      pgdSteps: 5,
      seeds: 2,
    },
    paper: {},
  },
  claims: [
    {
      id: 'hybrid-more-accurate',
      statement:
        'The hybrid model is more accurate than the classical model (paper: 99.38% vs 98.21% on MNIST)',
      check: (out, cfg) => gainClaim(out, cfg, 'clean', 'clean accuracy', 'paper: +1.2 pts on MNIST'),
    },
    {
      id: 'hybrid-fgsm-robust',
      statement:
        'The hybrid model is more robust to FGSM at ε = 0.1 (paper: 45.27% vs 10.80% robust accuracy on MNIST)',
      check: (out, cfg) =>
        gainClaim(
          out,
          cfg,
          `fgsm_${epsKey(cfg.eps)}`,
          `FGSM robust accuracy at ε = ${cfg.eps}`,
          'paper: +34 pts on MNIST',
        ),
    },
    {
      id: 'robust-under-pgd',
      statement:
        'Control: the robustness gain survives a stronger white-box attack (PGD with random start at the same ε)',
      check: (out, cfg) =>
        gainClaim(
          out,
          cfg,
          'pgd',
          `PGD-${cfg.pgdSteps} robust accuracy at ε = ${cfg.eps}`,
          'expected if the FGSM gain is real',
        ),
    },
    {
      id: 'no-gradient-masking',
      statement:
        'Control: no sign of gradient masking — white-box PGD hurts the hybrid at least as much as PGD transferred from the classical model, and PGD at a large ε breaks every model',
      check: (out, cfg) => {
        const s = out.scalars;
        const parts: string[] = [];
        let ok = true;
        for (const ds of cfg.datasets) {
          const wb = s[`${ds}_hybrid_pgd`]!;
          const tr = s[`${ds}_transfer_classical_to_hybrid`]!;
          const se = s[`${ds}_gap_transfer_whitebox_sem`]!;
          const large = Math.max(...KEYS.map((k) => s[`${ds}_${k}_pgd_large`]!));
          parts.push(
            `${ds}: hybrid robust acc white-box ${pct(wb)} vs transfer ${pct(tr)}; worst model at ε = ${cfg.largeEps}: ${pct(large)}`,
          );
          if (wb > tr + Math.max(2 * se, 0.02) || large > 0.1) ok = false;
        }
        return {
          verdict: s.seeds! < 2 ? 'inconclusive' : ok ? 'reproduced' : 'not-reproduced',
          measured: parts.join('; '),
          expected: `white-box ≤ transfer + max(2 s.e., 2 pts) and every model < 10% under PGD at ε = ${cfg.largeEps}`,
        };
      },
    },
  ],
  async run(ctx, cfg) {
    const sets = new Map<string, Awaited<ReturnType<typeof loadImages>>>();
    for (const ds of cfg.datasets) {
      sets.set(
        ds,
        await loadImages(ctx.data, ds, { train: cfg.trainSize, test: cfg.testSize, size: cfg.imageSize }),
      );
    }
    const curves: SeriesRow[] = [];
    const sweep = [...new Set([...cfg.epsSweep, cfg.eps])].sort((a, b) => a - b);
    const results = await runSeedCells<Cell>(
      ctx,
      cfg.datasets,
      cfg.seeds,
      (ds, seed) => {
        const data = sets.get(ds)!;
        const attackSet = headOf(data.test, cfg.attackSize);
        const init = ctx.rng.split(`${ds}-init-${seed}`);
        const models = KEYS.map((k) => buildModel(k, cfg, init, `shahzad-${ctx.runId}-${ds}-${k}-${seed}`));
        try {
          const out: Cell = {};
          const fs: LogitsFn[] = [];
          models.forEach((m, i) => {
            const key = KEYS[i]!;
            fitImages(m, data.train, {
              epochs: cfg.epochs,
              batchSize: cfg.batchSize,
              lr: cfg.lr,
              rng: ctx.rng.split(`${ds}-order-${seed}`),
              signal: ctx.signal,
              onEpoch: (row) => {
                if (seed === 0) curves.push({ ...row, model: `${ds}: ${MODELS[key]}` });
              },
            });
            const f = logitsOf(m);
            fs.push(f);
            out[`${key}_clean`] = imageAccuracy(f, data.test);
            out[`${key}_gradnorm`] = meanGradientNorm(f, attackSet);
            for (const e of sweep) {
              const r = evaluateAttack(attackSet, (x, y) => fgsm(f, x, y, { eps: e }), [f], {
                signal: ctx.signal,
              })[0]!;
              out[`${key}_fgsm_${epsKey(e)}`] = r.robust;
              out[`${key}_fgsm_${epsKey(e)}_asr`] = r.successRate;
            }
            const big = evaluateAttack(
              attackSet,
              (x, y) =>
                pgd(f, x, y, {
                  eps: cfg.largeEps,
                  steps: cfg.pgdSteps,
                  rng: ctx.rng.split(`${ds}-pgdL-${seed}-${key}`),
                }),
              [f],
              { signal: ctx.signal },
            )[0]!;
            out[`${key}_pgd_large`] = big.robust;
          });
          // PGD crafted on each model, evaluated on all three: white-box on the diagonal, transfer elsewhere.
          KEYS.forEach((src, i) => {
            const prng = ctx.rng.split(`${ds}-pgd-${seed}-${src}`);
            const attack: Attack = (x, y) =>
              pgd(fs[i]!, x, y, { eps: cfg.eps, steps: cfg.pgdSteps, rng: prng });
            const res = evaluateAttack(attackSet, attack, fs, { signal: ctx.signal });
            KEYS.forEach((dst, j) => {
              if (src === dst) {
                out[`${dst}_pgd`] = res[j]!.robust;
                out[`${dst}_pgd_asr`] = res[j]!.successRate;
              } else out[`transfer_${src}_to_${dst}`] = res[j]!.robust;
            });
          });
          return out;
        } finally {
          for (const m of models) m.dispose();
        }
      },
      (ds, seed, r) =>
        `${ds} seed ${seed}: classical ${pct(r.classical_clean)}, hybrid ${pct(r.hybrid_clean)}`,
    );

    const scalars: Record<string, number> = {
      train_size: cfg.trainSize,
      attack_size: cfg.attackSize,
      seeds: cfg.seeds,
      eps: cfg.eps,
    };
    const tables: ExperimentOutput['tables'] = [];
    const epsRows: SeriesRow[] = [];
    for (const ds of cfg.datasets) {
      const cells = results[ds]!;
      const metricNames = Object.keys(cells[0]!);
      for (const m of metricNames) {
        const v = meanSem(cells.map((c) => c[m]!));
        scalars[`${ds}_${m}`] = v.mean;
        scalars[`${ds}_${m}_sem`] = v.sem;
      }
      for (const m of ['clean', `fgsm_${epsKey(cfg.eps)}`, 'pgd']) {
        const g = pairedGap(
          cells.map((c) => c[`hybrid_${m}`]!),
          cells.map((c) => c[`classical_${m}`]!),
        );
        scalars[`${ds}_gap_${m}`] = g.mean;
        scalars[`${ds}_gap_${m}_sem`] = g.sem;
      }
      const tw = pairedGap(
        cells.map((c) => c.hybrid_pgd!),
        cells.map((c) => c.transfer_classical_to_hybrid!),
      );
      scalars[`${ds}_gap_transfer_whitebox`] = tw.mean;
      scalars[`${ds}_gap_transfer_whitebox_sem`] = tw.sem;
      tables.push({
        id: `${ds}-robustness`,
        title: `${ds}: accuracy under attack (${cfg.attackSize} test images, ${cfg.seeds} seeds; clean on ${cfg.testSize})`,
        columns: [
          'model',
          'clean',
          `FGSM ε=${cfg.eps}`,
          `PGD-${cfg.pgdSteps} ε=${cfg.eps}`,
          'PGD from classical',
          'PGD from hybrid',
          `PGD ε=${cfg.largeEps}`,
          '‖∇ₓ loss‖₁',
        ],
        rows: KEYS.map((k) => [
          MODELS[k],
          scalars[`${ds}_${k}_clean`]!,
          scalars[`${ds}_${k}_fgsm_${epsKey(cfg.eps)}`]!,
          scalars[`${ds}_${k}_pgd`]!,
          k === 'classical' ? scalars[`${ds}_classical_pgd`]! : scalars[`${ds}_transfer_classical_to_${k}`]!,
          k === 'hybrid' ? scalars[`${ds}_hybrid_pgd`]! : scalars[`${ds}_transfer_hybrid_to_${k}`]!,
          scalars[`${ds}_${k}_pgd_large`]!,
          scalars[`${ds}_${k}_gradnorm`]!,
        ]),
      });
      for (const k of KEYS)
        for (const e of sweep)
          epsRows.push({
            dataset: ds,
            model: `${ds} ${k}`,
            eps: e,
            accuracy: scalars[`${ds}_${k}_fgsm_${epsKey(e)}`]!,
          });
    }
    return {
      scalars,
      series: { curves, fgsm: epsRows },
      tables,
      plots: [
        linePlot({
          id: 'shahzad-fgsm-sweep',
          title: 'FGSM robust accuracy vs ε',
          series: 'fgsm',
          x: 'eps',
          y: 'accuracy',
          color: 'model',
          xTitle: 'ε (L∞, pixels in [0, 1])',
          yTitle: 'robust accuracy',
        }),
        trainingLossPlot('shahzad-training-loss'),
      ],
    };
  },
});
