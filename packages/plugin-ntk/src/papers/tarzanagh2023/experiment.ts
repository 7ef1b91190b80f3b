import {
  defineExperiment,
  type Rng,
  type RunContext,
  type SeriesRow,
  throwIfAborted,
  z,
} from '@paperlab/core';
import { mean, quantile } from '@paperlab/core/kit';
import { linePlot } from '@paperlab/core/plots';
import {
  type AttentionProblem,
  attentionWeights,
  cosine,
  fro,
  normalisedGd,
  nuclearNorm,
  optimalTokens,
  randomAttentionProblem,
} from './attention.js';
import { frobeniusSvmDual, type NormSvmResult, normSvm, svmConstraints } from './attSvm.js';

const config = z.strictObject({
  sequences: z.number().int().min(1).max(64).default(6).describe('n: sequences in the dataset'),
  tokens: z.number().int().min(2).max(32).default(4).describe('T: tokens per sequence'),
  dims: z
    .array(z.number().int().min(2).max(32))
    .min(1)
    .default([4, 8, 16])
    .describe('embedding dimensions d (W is d×d)'),
  instances: z.number().int().min(1).max(256).default(16).describe('random datasets per dimension'),
  steps: z.number().int().min(10).max(100_000).default(10_000).describe('normalised-GD steps'),
  eta: z.number().positive().default(0.1).describe('normalised-GD step size'),
  initW: z.number().min(0).default(0.01).describe('std of the initial W entries (W-parametrisation)'),
  initKQ: z
    .number()
    .positive()
    .default(0.1)
    .describe('std of the initial K, Q entries (W = KQᵀ, K, Q ∈ ℝ^{d×d})'),
  svmTolerance: z
    .number()
    .positive()
    .default(1e-6)
    .describe('relative duality gap at which the SVM solver stops'),
});

/** Config of ntk/tarzanagh2023. */
export type Tarzanagh2023Config = z.infer<typeof config>;

interface Cell {
  [key: string]: number | number[];
  d: number;
  steps: number[];
  /** W-parametrised GD: cosine with the Frobenius / nuclear SVM of the tokens it selects. */
  wCosF: number[];
  wCosN: number[];
  wNorm: number[];
  /** KQ-parametrised GD: cosine with the nuclear / Frobenius SVM of the tokens it selects. */
  kqCosN: number[];
  kqCosF: number[];
  kqNorm: number[];
  /** 1 when GD selected the highest-score token in every sequence. */
  wGlobal: number;
  kqGlobal: number;
  /** Cosine of the two SVM solutions (how different the norms' answers are). */
  svmCosFN: number;
  /** |cos| of a random Gaussian direction with the Frobenius SVM. */
  randomCos: number;
  /** Nuclear-to-Frobenius norm ratio of the KQ solution and of the nuclear SVM (low rank ⇒ small). */
  kqNuclearRatio: number;
  svmNuclearRatio: number;
  svmGap: number;
  svmQpCos: number;
  finalLossW: number;
}

function logCheckpoints(steps: number): number[] {
  const marks = new Set<number>();
  for (let e = 0; 10 ** e <= steps; e++) {
    for (const m of [1, 3]) {
      const s = Math.round(m * 10 ** e);
      if (s >= 10 && s <= steps) marks.add(s);
    }
  }
  marks.add(steps);
  return [...marks].sort((a, b) => a - b);
}

/** Token with the largest attention weight in each sequence. */
function selectedTokens(p: AttentionProblem, W: Float64Array): Int32Array {
  const s = attentionWeights(p, W);
  return Int32Array.from({ length: p.n }, (_, i) => {
    let best = 0;
    for (let t = 1; t < p.T; t++) if (s[i * p.T + t]! > s[i * p.T + best]!) best = t;
    return best;
  });
}

function sameTokens(a: Int32Array, b: Int32Array): boolean {
  return a.every((v, i) => v === b[i]);
}

async function runCell(ctx: RunContext, cfg: Tarzanagh2023Config, d: number, rng: Rng): Promise<Cell> {
  const p = randomAttentionProblem(rng.split('data'), cfg.sequences, cfg.tokens, d);
  const opt = optimalTokens(p);
  const checkpoints = logCheckpoints(cfg.steps);
  const svmCache = new Map<string, { F: NormSvmResult; N: NormSvmResult }>();
  const svms = (sel: Int32Array) => {
    const key = sel.join(',');
    let hit = svmCache.get(key);
    if (!hit) {
      const A = svmConstraints(p, sel);
      const o = { tol: cfg.svmTolerance };
      hit = { F: normSvm(A, d, 'frobenius', o), N: normSvm(A, d, 'nuclear', o) };
      svmCache.set(key, hit);
    }
    return hit;
  };
  const w = normalisedGd(p, {
    parametrisation: 'W',
    steps: cfg.steps,
    eta: cfg.eta,
    init: cfg.initW,
    rng: rng.split('gd-W'),
    checkpoints,
    signal: ctx.signal,
  });
  throwIfAborted(ctx.signal);
  const kq = normalisedGd(p, {
    parametrisation: 'KQ',
    steps: cfg.steps,
    eta: cfg.eta,
    init: cfg.initKQ,
    rng: rng.split('gd-KQ'),
    checkpoints,
    signal: ctx.signal,
  });
  const wLast = w.W[w.W.length - 1]!;
  const kqLast = kq.W[kq.W.length - 1]!;
  const selW = selectedTokens(p, wLast);
  const selKQ = selectedTokens(p, kqLast);
  const svmW = svms(selW);
  const svmKQ = svms(selKQ);
  const svmOpt = svms(opt);
  const qp = frobeniusSvmDual(svmConstraints(p, opt), d);
  const rand = rng.split('random-direction').normals(d * d);
  return {
    d,
    steps: w.steps,
    wCosF: w.W.map((m) => cosine(m, svmW.F.W)),
    wCosN: w.W.map((m) => cosine(m, svmW.N.W)),
    wNorm: w.W.map((m) => fro(m)),
    kqCosN: kq.W.map((m) => cosine(m, svmKQ.N.W)),
    kqCosF: kq.W.map((m) => cosine(m, svmKQ.F.W)),
    kqNorm: kq.W.map((m) => fro(m)),
    wGlobal: sameTokens(selW, opt) ? 1 : 0,
    kqGlobal: sameTokens(selKQ, opt) ? 1 : 0,
    svmCosFN: cosine(svmOpt.F.W, svmOpt.N.W),
    randomCos: Math.abs(cosine(rand, svmOpt.F.W)),
    kqNuclearRatio: nuclearNorm(kqLast, d) / fro(kqLast),
    svmNuclearRatio: nuclearNorm(svmKQ.N.W, d) / fro(svmKQ.N.W),
    svmGap: Math.max(svmW.F.gap, svmW.N.gap, svmKQ.F.gap, svmKQ.N.gap),
    svmQpCos: cosine(qp, svmOpt.F.W),
    finalLossW: w.loss[w.loss.length - 1]!,
  };
}

const median = (xs: number[]) => quantile(xs, 0.5);
const fmt = (v: number | undefined, d = 3) => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(d));

/** ntk/tarzanagh2023: attention trained by gradient descent converges in direction to a max-margin token SVM. */
export const tarzanagh2023 = defineExperiment({
  id: 'ntk/tarzanagh2023',
  paper: {
    title: 'Transformers as Support Vector Machines',
    authors: 'Davoud Ataee Tarzanagh, Yingcong Li, Christos Thrampoulidis, Samet Oymak',
    year: 2023,
    url: 'https://arxiv.org/abs/2308.16898',
    venue: 'arXiv 2023; NeurIPS 2023 M3L workshop',
  },
  summary:
    'A one-layer attention model f(X) = vᵀXᵀsoftmax(XWz) with a fixed head v is trained on random sequences ' +
    '(tokens and queries on the unit sphere, ±1 labels, logistic loss) by normalised gradient descent for 10⁴ ' +
    'steps, either on W directly or on W = KQᵀ. The attention SVM — min ‖W‖ subject to (x_{iα_i} − x_it)ᵀWz_i ≥ 1 ' +
    'for the selected tokens α — is solved in both the Frobenius and the nuclear norm by linearised ADMM with a ' +
    'duality certificate. W/‖W‖ is compared with the SVM directions as ‖W‖ grows, against a random direction ' +
    'and against the other norm’s SVM; a sweep over d measures how often GD selects the globally optimal tokens.',
  config,
  presets: {
    smoke: { dims: [4, 8], instances: 2, steps: 300 },
    ci: { dims: [4, 8, 16], instances: 4, steps: 3000 },
    paper: {},
  },
  claims: [
    {
      id: 'w-gd-frobenius-svm',
      statement:
        'GD on W converges in direction to the Frobenius-norm attention SVM of the tokens it selects (cosine → 1) while ‖W‖ grows without bound',
      check: (out) => {
        const s = out.scalars;
        const expected =
          'median final cos(W, W_F^mm) ≥ 0.99 and rising from step 100, ‖W_T‖ ≥ 0.9·ηT (norm grows linearly); random-direction |cos| far below';
        const ok =
          s.w_cos_f_median! >= 0.99 &&
          s.w_cos_f_median! > s.w_cos_f_median_100! &&
          s.w_norm_ratio_median! >= 0.9 &&
          s.random_cos_mean! < 0.5;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `median cos ${fmt(s.w_cos_f_median_100, 3)} at step 100 → ${fmt(s.w_cos_f_median, 4)} at step ${s.steps} (min ${fmt(s.w_cos_f_min, 3)}); ‖W_T‖/(ηT) = ${fmt(s.w_norm_ratio_median, 3)}; random |cos| ${fmt(s.random_cos_mean, 3)}`,
          expected,
        };
      },
    },
    {
      id: 'kq-gd-nuclear-svm',
      statement:
        'With W = KQᵀ, GD converges in direction to the nuclear-norm SVM instead of the Frobenius one (and GD on W to the Frobenius one, not the nuclear)',
      check: (out) => {
        const s = out.scalars;
        const expected =
          'median final cos(KQᵀ, W_*^mm) ≥ 0.98; KQᵀ closer to W_*^mm than to W_F^mm and W closer to W_F^mm than to W_*^mm in ≥ 90% of instances';
        const ok =
          s.kq_cos_n_median! >= 0.98 && s.kq_prefers_nuclear! >= 0.9 && s.w_prefers_frobenius! >= 0.9;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: `KQ: cos with nuclear SVM ${fmt(s.kq_cos_n_median, 4)} vs Frobenius ${fmt(s.kq_cos_f_median, 3)} (median), closer to nuclear in ${fmt(100 * s.kq_prefers_nuclear!, 0)}%; W: cos with Frobenius ${fmt(s.w_cos_f_median, 4)} vs nuclear ${fmt(s.w_cos_n_median, 3)}, closer to Frobenius in ${fmt(100 * s.w_prefers_frobenius!, 0)}%; the two SVMs' cos ${fmt(s.svm_cos_fn_median, 3)}`,
          expected,
        };
      },
    },
    {
      id: 'overparametrisation-global',
      statement:
        'Over-parameterisation catalyses global convergence: the share of runs in which GD on W selects the highest-score token of every sequence grows with d',
      check: (out) => {
        const rows = (out.series?.global_by_dim ?? []) as Array<{ d: number; w_global: number }>;
        const expected = 'global share non-decreasing in d and ≥ 0.9 at the largest d, above the smallest d';
        if (rows.length < 2)
          return { verdict: 'inconclusive', measured: `${rows.length} dimension(s)`, expected };
        const shares = rows.map((r) => r.w_global);
        const mono = shares.every((v, i) => i === 0 || v >= shares[i - 1]! - 1e-12);
        const last = shares[shares.length - 1]!;
        const ok = mono && last >= 0.9 && last > shares[0]!;
        return {
          verdict: ok ? 'reproduced' : 'not-reproduced',
          measured: rows.map((r) => `d=${r.d}: ${fmt(100 * r.w_global, 0)}%`).join(', '),
          expected,
        };
      },
    },
  ],
  async run(ctx, cfg) {
    const dims = [...cfg.dims].sort((a, b) => a - b);
    const cells: Cell[] = [];
    const task = ctx.progress.task('dimension × instance', dims.length * cfg.instances);
    for (const d of dims) {
      for (let k = 0; k < cfg.instances; k++) {
        throwIfAborted(ctx.signal);
        const cell = await ctx.checkpoint.cached(`cell-d${d}-i${k}`, () =>
          runCell(ctx, cfg, d, ctx.rng.split(`d${d}-instance${k}`)),
        );
        cells.push(cell);
        ctx.log.scalars(
          { d, w_cos_f: cell.wCosF[cell.wCosF.length - 1]!, kq_cos_n: cell.kqCosN[cell.kqCosN.length - 1]! },
          d * 1000 + k,
        );
        task.tick(1, `d=${d} #${k}`);
      }
    }
    task.done();
    const last = (xs: number[]) => xs[xs.length - 1]!;
    const at = (c: Cell, xs: number[], step: number) => {
      const i = c.steps.indexOf(step);
      return i >= 0 ? xs[i]! : Number.NaN;
    };
    const wF = cells.map((c) => last(c.wCosF));
    const wN = cells.map((c) => last(c.wCosN));
    const kqN = cells.map((c) => last(c.kqCosN));
    const kqF = cells.map((c) => last(c.kqCosF));
    const scalars: Record<string, number> = {
      steps: cfg.steps,
      instances: cells.length,
      w_cos_f_median: median(wF),
      w_cos_f_min: Math.min(...wF),
      w_cos_f_median_100: median(cells.map((c) => at(c, c.wCosF, 100)).filter(Number.isFinite)),
      w_cos_n_median: median(wN),
      w_norm_ratio_median: median(cells.map((c) => last(c.wNorm) / (cfg.eta * cfg.steps))),
      kq_cos_n_median: median(kqN),
      kq_cos_n_min: Math.min(...kqN),
      kq_cos_f_median: median(kqF),
      kq_prefers_nuclear: mean(kqN.map((v, i) => (v > kqF[i]! ? 1 : 0))),
      w_prefers_frobenius: mean(wF.map((v, i) => (v > wN[i]! ? 1 : 0))),
      svm_cos_fn_median: median(cells.map((c) => c.svmCosFN)),
      random_cos_mean: mean(cells.map((c) => c.randomCos)),
      kq_nuclear_ratio_median: median(cells.map((c) => c.kqNuclearRatio)),
      svm_nuclear_ratio_median: median(cells.map((c) => c.svmNuclearRatio)),
      w_global_share: mean(cells.map((c) => c.wGlobal)),
      kq_global_share: mean(cells.map((c) => c.kqGlobal)),
      svm_max_gap: Math.max(...cells.map((c) => c.svmGap)),
      svm_min_qp_cos: Math.min(...cells.map((c) => c.svmQpCos)),
    };
    // Convergence curves: median over instances per (d, parametrisation, reference SVM).
    const curves: SeriesRow[] = [];
    const stepsList = cells[0]!.steps;
    for (const d of dims) {
      const cs = cells.filter((c) => c.d === d);
      stepsList.forEach((step, i) => {
        curves.push({
          d,
          step,
          curve: `d=${d}: W-GD vs Frobenius SVM`,
          cos: median(cs.map((c) => c.wCosF[i]!)),
        });
        curves.push({
          d,
          step,
          curve: `d=${d}: W-GD vs nuclear SVM`,
          cos: median(cs.map((c) => c.wCosN[i]!)),
        });
        curves.push({
          d,
          step,
          curve: `d=${d}: KQ-GD vs nuclear SVM`,
          cos: median(cs.map((c) => c.kqCosN[i]!)),
        });
        curves.push({
          d,
          step,
          curve: `d=${d}: KQ-GD vs Frobenius SVM`,
          cos: median(cs.map((c) => c.kqCosF[i]!)),
        });
      });
    }
    const norms: SeriesRow[] = [];
    stepsList.forEach((step, i) => {
      norms.push({ step, parametrisation: 'W', norm: median(cells.map((c) => c.wNorm[i]!)) });
      norms.push({ step, parametrisation: 'W = KQᵀ', norm: median(cells.map((c) => c.kqNorm[i]!)) });
    });
    const globalByDim = dims.map((d) => {
      const cs = cells.filter((c) => c.d === d);
      return {
        d,
        w_global: mean(cs.map((c) => c.wGlobal)),
        kq_global: mean(cs.map((c) => c.kqGlobal)),
        w_cos_f: median(cs.map((c) => last(c.wCosF))),
        w_cos_n: median(cs.map((c) => last(c.wCosN))),
        kq_cos_n: median(cs.map((c) => last(c.kqCosN))),
        kq_cos_f: median(cs.map((c) => last(c.kqCosF))),
        svm_cos_fn: median(cs.map((c) => c.svmCosFN)),
        random_cos: mean(cs.map((c) => c.randomCos)),
      };
    });
    for (const r of globalByDim) scalars[`w_global_d${r.d}`] = r.w_global;
    return {
      scalars,
      series: { convergence: curves, norms, global_by_dim: globalByDim },
      plots: [
        linePlot({
          id: 'directional-convergence',
          title: 'cos(W_t, W^mm) along normalised GD (median over instances)',
          series: 'convergence',
          x: 'step',
          y: 'cos',
          color: 'curve',
          logX: true,
          points: false,
          xTitle: 'GD step',
          yTitle: 'cosine with the SVM direction',
        }),
        linePlot({
          id: 'norm-growth',
          title: '‖W_t‖_F along normalised GD (median)',
          series: 'norms',
          x: 'step',
          y: 'norm',
          color: 'parametrisation',
          logX: true,
          logY: true,
          xTitle: 'GD step',
          yTitle: '‖W‖_F',
        }),
      ],
      tables: [
        {
          id: 'by-dimension',
          title: 'Final cosines (median over instances) and share of globally optimal token selection',
          columns: [
            'd',
            'W-GD · Frobenius SVM',
            'W-GD · nuclear SVM',
            'KQ-GD · nuclear SVM',
            'KQ-GD · Frobenius SVM',
            'cos(SVM_F, SVM_*)',
            'random |cos|',
            'global share (W)',
            'global share (KQ)',
          ],
          rows: globalByDim.map((r) => [
            r.d,
            Number(r.w_cos_f.toFixed(4)),
            Number(r.w_cos_n.toFixed(4)),
            Number(r.kq_cos_n.toFixed(4)),
            Number(r.kq_cos_f.toFixed(4)),
            Number(r.svm_cos_fn.toFixed(3)),
            Number(r.random_cos.toFixed(3)),
            Number(r.w_global.toFixed(3)),
            Number(r.kq_global.toFixed(3)),
          ]),
        },
      ],
    };
  },
});
