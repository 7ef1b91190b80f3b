import { defineExperiment, type RunContext, type SeriesRow, throwIfAborted, z } from '@paperlab/core';
import { loadIdxImageDataset } from '@paperlab/core/data';
import { logLogFit, mean, sem } from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import { type BanditPolicy, type ClassificationStream, runBandit } from '../../bandits/neuralBandits.js';

const config = z.strictObject({
  dataset: z
    .enum(['mnist', 'fashion-mnist'])
    .default('mnist')
    .describe('classification data turned into a bandit'),
  pool: z
    .number()
    .int()
    .min(1)
    .max(14)
    .default(4)
    .describe('average-pool factor of the 28×28 images (4 → 7×7)'),
  imagePool: z
    .number()
    .int()
    .min(10)
    .max(60000)
    .default(10000)
    .describe('training images the rounds are drawn from (a fresh random order per seed)'),
  imageOffset: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('first training image of that pool (hyper-parameters were chosen on images 50000+)'),
  rounds: z.number().int().min(10).max(100_000).default(5000).describe('T: bandit rounds'),
  seeds: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(8)
    .describe('independent runs (order of contexts, initialisation)'),
  width: z.number().int().min(2).default(128).describe('hidden width of the reward networks'),
  lrSquared: z.number().positive().default(0.5).describe('online-GD step for the squared-loss networks'),
  lrKl: z.number().positive().default(1).describe('online-GD step for the KL-loss network'),
  perturbation: z
    .number()
    .min(0)
    .default(0.1)
    .describe('σ of the prediction perturbation ⟨θ − θ₀, ε_t⟩ (ε_t = ±σ/√P per parameter, fresh each round)'),
  gammaSquared: z.number().positive().default(10).describe('SquareCB: γ_t = γ₀·√(K·t)'),
  gammaKl: z.number().positive().default(3).describe('FastCB (KL): γ_t = γ₀·√(K·t)'),
  eps0: z.number().positive().default(1).describe('ε-greedy: ε_t = min(1, ε₀·t^{−1/3})'),
  linucbAlpha: z.number().min(0).default(0.3).describe('LinUCB exploration weight α'),
  linucbLambda: z.number().positive().default(1).describe('LinUCB ridge λ'),
  ablation: z.boolean().default(true).describe('also run the KL learner without the perturbation'),
});

/** Config of ntk/deb2023. */
export type Deb2023Config = z.infer<typeof config>;

const POLICIES = [
  'neufastcb-kl',
  'neusquarecb-sq',
  'egreedy-nn',
  'linucb',
  'random',
  'neufastcb-kl-unperturbed',
] as const;
type PolicyName = (typeof POLICIES)[number];

const LABELS: Record<PolicyName, string> = {
  'neufastcb-kl': 'NeuFastCB (KL loss)',
  'neusquarecb-sq': 'NeuSquareCB (squared loss)',
  'egreedy-nn': 'ε-greedy NN (squared loss)',
  linucb: 'LinUCB',
  random: 'random',
  'neufastcb-kl-unperturbed': 'NeuFastCB (KL), no perturbation',
};

function policyOf(name: PolicyName, cfg: Deb2023Config): BanditPolicy {
  switch (name) {
    case 'neufastcb-kl':
      return { kind: 'fastcb', loss: 'kl', perturbation: cfg.perturbation, gamma0: cfg.gammaKl };
    case 'neufastcb-kl-unperturbed':
      return { kind: 'fastcb', loss: 'kl', perturbation: 0, gamma0: cfg.gammaKl };
    case 'neusquarecb-sq':
      return { kind: 'squarecb', loss: 'squared', perturbation: cfg.perturbation, gamma0: cfg.gammaSquared };
    case 'egreedy-nn':
      return { kind: 'epsilon-greedy', loss: 'squared', eps0: cfg.eps0 };
    case 'linucb':
      return { kind: 'linucb', alpha: cfg.linucbAlpha, lambda: cfg.linucbLambda };
    default:
      return { kind: 'random' };
  }
}

interface Features {
  x: Float64Array;
  labels: Int32Array;
  dim: number;
}

/** Pooled images scaled to ‖x‖² = d (the NTK convention: O(1) entries). */
async function loadFeatures(ctx: RunContext, cfg: Deb2023Config): Promise<Features> {
  const ds = await loadIdxImageDataset(ctx.data, cfg.dataset, {
    trainLimit: cfg.imageOffset + cfg.imagePool,
    testLimit: 1,
  });
  const { x: raw, y } = ds.arrays('train');
  const [h, w] = ds.meta.inputShape as [number, number];
  const available = y.length - cfg.imageOffset;
  if (available < cfg.imagePool)
    throw new Error(`deb2023: ${cfg.dataset} has ${y.length} training images, need imageOffset + imagePool`);
  const ph = Math.floor(h / cfg.pool);
  const pw = Math.floor(w / cfg.pool);
  const dim = ph * pw;
  const n = cfg.imagePool;
  const x = new Float64Array(n * dim);
  const labels = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = cfg.imageOffset + k;
    labels[k] = y[i]!;
    let ss = 0;
    for (let r = 0; r < ph; r++)
      for (let c = 0; c < pw; c++) {
        let s = 0;
        for (let u = 0; u < cfg.pool; u++)
          for (let v = 0; v < cfg.pool; v++) s += raw[i * h * w + (r * cfg.pool + u) * w + c * cfg.pool + v]!;
        x[k * dim + r * pw + c] = s;
        ss += s * s;
      }
    const scale = ss > 0 ? Math.sqrt(dim / ss) : 0;
    for (let j = 0; j < dim; j++) x[k * dim + j]! *= scale;
  }
  return { x, labels, dim };
}

interface SeedCell {
  [key: string]: number | number[];
  rounds: number[];
}

const fmt = (v: number | undefined, d = 1) => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));

/** ntk/deb2023: neural contextual bandits by online regression (SquareCB / FastCB reductions). */
export const deb2023 = defineExperiment({
  id: 'ntk/deb2023',
  paper: {
    title: 'Contextual Bandits with Online Neural Regression',
    authors: 'Rohan Deb, Yikun Ban, Shiliang Zuo, Jingrui He, Arindam Banerjee',
    year: 2023,
    url: 'https://arxiv.org/abs/2312.07145',
    venue: 'arXiv 2023; ICLR 2024',
  },
  summary:
    'MNIST (7×7 average-pooled) turned into a 10-armed contextual bandit: each round shows one image, arm a ' +
    'earns reward 1 iff a is its class. Wide two-layer ReLU networks in NTK parametrisation on block-encoded ' +
    'arm features are trained online, one gradient step per round on the played arm, with a small random ' +
    'perturbation of their predictions. NeuSquareCB plays SquareCB’s inverse-gap weighting on a squared-loss ' +
    'network; NeuFastCB plays FastCB’s weighting on a KL (log) loss network. Baselines in the same runs: ' +
    'ε-greedy on the squared-loss network, disjoint LinUCB, uniform random play, and (ablation) NeuFastCB ' +
    'without the perturbation. Cumulative regret over T rounds and several seeds.',
  config,
  presets: {
    smoke: { rounds: 150, seeds: 2, width: 8, imagePool: 400, ablation: false },
    ci: { rounds: 2000, seeds: 3, imagePool: 4000, ablation: false },
    paper: {},
  },
  claims: [
    {
      id: 'kl-beats-squared',
      statement:
        'The KL-loss NeuCB (NeuFastCB) has lower cumulative regret than the squared-loss one (NeuSquareCB)',
      check: (out) => {
        const s = out.scalars;
        const expected =
          'mean regret KL < squared, and KL < squared in ≥ 2/3 of the seeds (paired by context order)';
        if (s.seeds! < 2) return { verdict: 'inconclusive', measured: `${s.seeds} seed`, expected };
        const ok = s['regret_neufastcb-kl']! < s['regret_neusquarecb-sq']! && s.kl_wins_share! >= 2 / 3;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `T = ${s.rounds}: KL ${fmt(s['regret_neufastcb-kl'])} ± ${fmt(s['regret_sem_neufastcb-kl'])} vs squared ${fmt(s['regret_neusquarecb-sq'])} ± ${fmt(s['regret_sem_neusquarecb-sq'])}; KL lower in ${fmt(100 * s.kl_wins_share!, 0)}% of ${s.seeds} seeds`,
          expected,
        };
      },
    },
    {
      id: 'squared-beats-egreedy',
      statement:
        'The squared-loss NeuCB (inverse-gap weighting) beats ε-greedy exploration with the same network and loss',
      check: (out) => {
        const s = out.scalars;
        const expected = 'mean regret NeuSquareCB < ε-greedy NN, and lower in ≥ 1/2 of the seeds';
        if (s.seeds! < 2) return { verdict: 'inconclusive', measured: `${s.seeds} seed`, expected };
        const ok = s['regret_neusquarecb-sq']! < s['regret_egreedy-nn']! && s.sq_wins_share! >= 0.5;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `T = ${s.rounds}: squared ${fmt(s['regret_neusquarecb-sq'])} ± ${fmt(s['regret_sem_neusquarecb-sq'])} vs ε-greedy ${fmt(s['regret_egreedy-nn'])} ± ${fmt(s['regret_sem_egreedy-nn'])}; squared lower in ${fmt(100 * s.sq_wins_share!, 0)}% of seeds`,
          expected,
        };
      },
    },
    {
      id: 'sublinear-regret',
      statement: 'The regret of both NeuCBs grows sublinearly in T',
      check: (out) => {
        const s = out.scalars;
        const expected =
          'log-log slope of cumulative regret over t ∈ [T/10, T] ≤ 0.8 for both NeuCBs (linear growth = 1, as random play shows)';
        const kl = s['slope_neufastcb-kl']!;
        const sq = s['slope_neusquarecb-sq']!;
        const ok = kl <= 0.8 && sq <= 0.8;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `slope: KL ${kl.toFixed(3)}, squared ${sq.toFixed(3)}; random ${s.slope_random!.toFixed(3)}, LinUCB ${s.slope_linucb!.toFixed(3)}`,
          expected,
        };
      },
    },
    {
      id: 'neucb-beats-baselines',
      statement:
        'The NeuCBs, especially the KL one, outperform the other algorithms — here LinUCB, ε-greedy NN and random play',
      check: (out) => {
        const s = out.scalars;
        const kl = s['regret_neufastcb-kl']!;
        const others = ['linucb', 'egreedy-nn', 'random'].map((k) => s[`regret_${k}`]!);
        const ok = others.every((o) => kl < o);
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `KL ${fmt(kl)} vs LinUCB ${fmt(s.regret_linucb)}, ε-greedy ${fmt(s['regret_egreedy-nn'])}, random ${fmt(s.regret_random)}`,
          expected: 'NeuFastCB-KL mean regret below every baseline',
        };
      },
    },
  ],
  async run(ctx, cfg) {
    const feats = await loadFeatures(ctx, cfg);
    const policies = POLICIES.filter((p) => cfg.ablation || p !== 'neufastcb-kl-unperturbed');
    const T = cfg.rounds;
    const step = Math.max(1, Math.floor(T / 50));
    const record = Array.from({ length: Math.floor(T / step) }, (_, i) => (i + 1) * step);
    if (record[record.length - 1] !== T) record.push(T);
    const cells: SeedCell[] = [];
    const task = ctx.progress.task('seed × policy', cfg.seeds * policies.length);
    for (let seed = 0; seed < cfg.seeds; seed++) {
      throwIfAborted(ctx.signal);
      const cell = await ctx.checkpoint.cached(`seed-${seed}`, async () => {
        const rng = ctx.rng.split(`seed-${seed}`);
        const order = rng.split('order').permutation(feats.labels.length);
        const rounds = Math.min(T, order.length);
        const x = new Float64Array(rounds * feats.dim);
        const labels = new Int32Array(rounds);
        for (let t = 0; t < rounds; t++) {
          const i = order[t]!;
          x.set(feats.x.subarray(i * feats.dim, (i + 1) * feats.dim), t * feats.dim);
          labels[t] = feats.labels[i]!;
        }
        const stream: ClassificationStream = { x, labels, dim: feats.dim, arms: 10 };
        const out: SeedCell = { rounds: record };
        for (const name of policies) {
          const pol = policyOf(name, cfg);
          const lr = 'loss' in pol && pol.loss === 'kl' ? cfg.lrKl : cfg.lrSquared;
          const trace = runBandit(stream, pol, {
            rounds: T,
            width: cfg.width,
            lr,
            record,
            rng: rng.split(name),
            signal: ctx.signal,
          });
          out[name] = trace.regret;
          task.tick(1, `seed ${seed}: ${name}`);
        }
        return out;
      });
      cells.push(cell);
      ctx.log.scalars(Object.fromEntries(policies.map((p) => [p, (cell[p] as number[]).at(-1)!])), seed);
    }
    task.done();

    const scalars: Record<string, number> = { rounds: T, seeds: cfg.seeds };
    const curves: SeriesRow[] = [];
    const table: Array<Array<number | string>> = [];
    const from = record.findIndex((r) => r >= T / 10);
    for (const p of policies) {
      const finals = cells.map((c) => (c[p] as number[]).at(-1)!);
      scalars[`regret_${p}`] = mean(finals);
      scalars[`regret_sem_${p}`] = cfg.seeds > 1 ? sem(finals) : 0;
      const meanCurve = record.map((_, i) => mean(cells.map((c) => (c[p] as number[])[i]!)));
      const fit = logLogFit(record.slice(from), meanCurve.slice(from));
      scalars[`slope_${p}`] = fit.slope;
      record.forEach((t, i) => {
        curves.push({
          round: t,
          policy: LABELS[p],
          regret: meanCurve[i]!,
          sem: cfg.seeds > 1 ? sem(cells.map((c) => (c[p] as number[])[i]!)) : 0,
        });
      });
      table.push([
        LABELS[p],
        Number(mean(finals).toFixed(1)),
        Number((cfg.seeds > 1 ? sem(finals) : 0).toFixed(1)),
        Number((mean(finals) / T).toFixed(3)),
        Number(fit.slope.toFixed(3)),
      ]);
    }
    const kl = cells.map((c) => (c['neufastcb-kl'] as number[]).at(-1)!);
    const sq = cells.map((c) => (c['neusquarecb-sq'] as number[]).at(-1)!);
    const eg = cells.map((c) => (c['egreedy-nn'] as number[]).at(-1)!);
    scalars.kl_wins_share = mean(kl.map((v, i) => (v < sq[i]! ? 1 : 0)));
    scalars.sq_wins_share = mean(sq.map((v, i) => (v < eg[i]! ? 1 : 0)));
    return {
      scalars,
      series: { regret: curves },
      plots: [
        linePlot({
          id: 'cumulative-regret',
          title: `Cumulative regret on ${cfg.dataset} (mean over ${cfg.seeds} seeds)`,
          series: 'regret',
          x: 'round',
          y: 'regret',
          color: 'policy',
          errorBar: 'sem',
          points: false,
          xTitle: 'round t',
          yTitle: 'cumulative regret',
        }),
      ],
      tables: [
        {
          id: 'final-regret',
          title: `Cumulative regret after T = ${T} rounds`,
          columns: ['policy', 'mean regret', '± s.e.', 'regret / T', 'log-log slope on [T/10, T]'],
          rows: table,
        },
      ],
    };
  },
});
