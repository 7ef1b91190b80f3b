import { defineExperiment, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { shuffledStream } from '../../bandits/classificationStream.js';
import { type BanditPolicy, runBandit } from '../../bandits/neuralBandits.js';
import { loadPooledImages } from '../../data/pooledImages.js';
import { SEED_SPREAD } from '../../util/claims.js';
import { int, real } from '../../util/fields.js';
import { plot } from '../../util/plots.js';
import { rounded } from '../../util/rounded.js';

const config = z.strictObject({
  dataset: z.enum(['mnist', 'fashion-mnist']).default('mnist').describe('data set turned into a bandit'),
  pool: int(4, [1, 14], 'pool factor of the 28×28 images (4 → 7×7)'),
  imagePool: int(
    10000,
    [10, 60000],
    'training images the rounds are drawn from (a fresh random order per seed)',
  ),
  imageOffset: int(0, [0, 60_000], 'first training image (tuned on images 50000+)'),
  rounds: int(5000, [10, 100_000], 'T: bandit rounds'),
  seeds: int(8, [1, 64], 'independent runs (order of contexts, initialisation)'),
  width: int(128, [2, 1 << 14], 'hidden width of the reward networks'),
  lrSquared: real(0.5, 'online-GD step for the squared-loss networks', { max: 1e3 }),
  lrKl: real(1, 'online-GD step for the KL-loss network', { max: 1e3 }),
  perturbation: real(
    0.1,
    'σ of the prediction perturbation ⟨θ − θ₀, ε_t⟩ (ε_t = ±σ/√P per parameter, fresh each round)',
    [0, 1e3],
  ),
  gammaSquared: real(10, 'SquareCB: γ_t = γ₀·√(K·t)', { max: 1e6 }),
  gammaKl: real(3, 'FastCB (KL): γ_t = γ₀·√(K·t)', { max: 1e6 }),
  eps0: real(1, 'ε-greedy: ε_t = min(1, ε₀·t^{−1/3})', { max: 1e3 }),
  ucbGamma: real(
    0.1,
    'NeuralUCB: f + γ·σ, σ² = Σ g²/Z (diagonal Z = λI + Σ g gᵀ); tuned on held-out images',
    { max: 1e3 },
  ),
  tsNu: real(0.3, 'NeuralTS: sample f + ν·σ·N(0, 1); tuned on held-out images', { max: 1e3 }),
  neuralLambda: real(1, 'NeuralUCB/TS: λ of Z = λI + Σ g gᵀ', { max: 1e6 }),
  linucbAlpha: real(0.3, 'LinUCB exploration weight α', [0, 1e3]),
  linucbLambda: real(1, 'LinUCB ridge λ', { max: 1e6 }),
  ablation: z.boolean().default(true).describe('also run the KL learner without the perturbation'),
});

/** Config of ntk/deb2023. */
export type Deb2023Config = z.infer<typeof config>;

/** The algorithms compared, in the order they run: the two NeuCBs, the baselines, the ablation. */
const LABELS = {
  'neufastcb-kl': 'NeuFastCB (KL loss)',
  'neusquarecb-sq': 'NeuSquareCB (squared loss)',
  'egreedy-nn': 'ε-greedy NN (squared loss)',
  neuralucb: 'NeuralUCB (squared loss, diagonal Z)',
  neuralts: 'NeuralTS (squared loss, diagonal Z)',
  linucb: 'LinUCB',
  random: 'random',
  'neufastcb-kl-unperturbed': 'NeuFastCB (KL), no perturbation',
} as const;
type PolicyName = keyof typeof LABELS;
const POLICIES = Object.keys(LABELS) as PolicyName[];

const policiesOf = (c: Deb2023Config): Record<PolicyName, BanditPolicy> => ({
  'neufastcb-kl': { kind: 'fastcb', loss: 'kl', perturbation: c.perturbation, gamma0: c.gammaKl },
  'neusquarecb-sq': {
    kind: 'squarecb',
    loss: 'squared',
    perturbation: c.perturbation,
    gamma0: c.gammaSquared,
  },
  'egreedy-nn': { kind: 'epsilon-greedy', loss: 'squared', eps0: c.eps0 },
  neuralucb: { kind: 'neuralucb', gamma: c.ucbGamma, lambda: c.neuralLambda },
  neuralts: { kind: 'neuralts', nu: c.tsNu, lambda: c.neuralLambda },
  linucb: { kind: 'linucb', alpha: c.linucbAlpha, lambda: c.linucbLambda },
  random: { kind: 'random' },
  'neufastcb-kl-unperturbed': { kind: 'fastcb', loss: 'kl', perturbation: 0, gamma0: c.gammaKl },
});

type PerPolicy = `${'regret' | 'regret_sem' | 'slope' | 'slope_sem'}_${PolicyName}`;
/** Paired regret gaps over seeds, `<b>_over_<a>` = regret(b) − regret(a): positive when a is better. */
const PAIRS = {
  sq_over_kl: ['neusquarecb-sq', 'neufastcb-kl'],
  ucb_over_kl: ['neuralucb', 'neufastcb-kl'],
  ts_over_kl: ['neuralts', 'neufastcb-kl'],
  ucb_over_sq: ['neuralucb', 'neusquarecb-sq'],
  ts_over_sq: ['neuralts', 'neusquarecb-sq'],
} as const satisfies Record<string, readonly [PolicyName, PolicyName]>;
type Pair = keyof typeof PAIRS;
type Scalar = 'rounds' | 'seeds' | PerPolicy | `${'kl' | 'sq'}_wins_share` | `${Pair}${'' | '_sem'}`;

const claim = kit.claimsFor<Deb2023Config, Scalar>();
const twoSeeds = [claim.atLeast('seeds', 2, 'seeds')];
const PAPER_QUOTE = {
  quote:
    'our experimental results on various datasets demonstrate that our algorithms, especially the one based on KL loss, persistently outperform existing algorithms',
  where: 'abstract (experiments)',
};
const KL_VS_SQ = {
  id: 'kl-beats-squared',
  kind: 'paper',
  statement:
    'The KL-loss NeuCB (NeuFastCB) has lower cumulative regret than the squared-loss one (NeuSquareCB)',
  source: {
    ...PAPER_QUOTE,
    where: 'abstract; the experiments compare NeuFastCB with NeuSquareCB (ICLR 2024 reviews)',
    restated: 'KL regret below squared-loss regret, paired by seed',
  },
  requires: twoSeeds,
} as const;

/** Regret sublinear in T: the log-log slope over [T/10, T] ≤ 0.8 for both NeuCBs (± k s.e. of per-seed slopes). */
const sublinear = (k: number) =>
  claim.custom({
    id: 'sublinear-regret',
    kind: 'paper',
    statement: 'The regret of both NeuCBs grows sublinearly in T',
    source: {
      quote:
        'we show a O(log T) regret for online regression with both squared loss and KL loss, and subsequently convert these respectively to Õ(√KT) and Õ(√KL* + K) regret for NeuCB',
      where: 'abstract; regret theorems',
      restated: 'sublinear as a log-log slope of cumulative regret ≤ 0.8 over the last 90% of the rounds',
    },
    ...(k ? { requires: twoSeeds } : {}),
    rule: {
      text: `log-log slope of cumulative regret over t ∈ [T/10, T] ≤ 0.8 for both NeuCBs${k ? ` by ${k} s.e. of the per-seed slopes` : ''} (linear growth = 1, as random play shows)`,
      params: { maxSlope: 0.8, k },
    },
    check: (s) => {
      const [kl, sq] = [s['slope_neufastcb-kl'], s['slope_neusquarecb-sq']];
      const [klSe, sqSe] = [s['slope_sem_neufastcb-kl'], s['slope_sem_neusquarecb-sq']];
      const range = [Number.NEGATIVE_INFINITY, 0.8] as const;
      return {
        verdict: kit.allOf([
          kit.intervalVerdict(kl, klSe, range[0], range[1], k),
          kit.intervalVerdict(sq, sqSe, range[0], range[1], k),
        ]),
        measured: `slope: KL ${kit.pm(kl, klSe)}, squared ${kit.pm(sq, sqSe)}; random ${kit.fmt(s.slope_random)}, LinUCB ${kit.fmt(s.slope_linucb)}`,
      };
    },
  });

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
    'NeuralUCB and NeuralTS (the paper’s baselines; diagonal confidence, same network and online learner), ' +
    'ε-greedy on the squared-loss network, disjoint LinUCB, uniform random play, and (ablation) NeuFastCB ' +
    'without the perturbation. Cumulative regret over T rounds and several seeds.',
  config,
  presets: {
    smoke: { rounds: 150, seeds: 2, width: 8, imagePool: 400, ablation: false },
    ci: { rounds: 2000, seeds: 3, imagePool: 4000, ablation: false },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.revise(
      claim.custom({
        ...KL_VS_SQ,
        rule: {
          text: 'mean regret KL < squared, and KL < squared in ≥ 2/3 of the seeds (paired by context order)',
          params: { minWinShare: 2 / 3 },
        },
        check: (s) => ({
          verdict: kit.verdictOf(
            s['regret_neufastcb-kl'] < s['regret_neusquarecb-sq'] && s.kl_wins_share >= 2 / 3,
          ),
          measured: `T = ${s.rounds}: KL ${kit.pm(s['regret_neufastcb-kl'], s['regret_sem_neufastcb-kl'], 1)} vs squared ${kit.pm(s['regret_neusquarecb-sq'], s['regret_sem_neusquarecb-sq'], 1)}; KL lower in ${kit.fmt(100 * s.kl_wins_share, 0)}% of ${s.seeds} seeds`,
        }),
      }),
      {
        ...SEED_SPREAD,
        revised: claim.beats({
          ...KL_VS_SQ,
          gap: 'sq_over_kl',
          sem: 'sq_over_kl_sem',
          a: 'NeuFastCB (KL)',
          b: 'NeuSquareCB (squared)',
          what: 'regret advantage (paired by seed)',
          format: (g, e) => kit.pm(g, e, 1),
          detail: (s) => `T = ${s.rounds}, ${s.seeds} seeds`,
        }),
      },
    ),
    claim.custom({
      id: 'neucbs-beat-neural-ucb-ts',
      kind: 'paper',
      statement:
        'Both NeuCBs have lower cumulative regret than NeuralUCB and NeuralTS (the existing neural bandits the paper compares with), on the same network',
      source: {
        ...PAPER_QUOTE,
        where:
          'abstract; experiments as the ICLR 2024 reviews describe them (six classification data sets, NeuralUCB/NeuralTS baselines)',
        restated:
          'NeuralUCB and NeuralTS with the diagonal Z of their authors’ experiments and the same online learner (one step per round); regret gaps paired by seed',
      },
      requires: twoSeeds,
      rule: {
        text: 'regret of NeuralUCB and of NeuralTS minus that of each NeuCB > 0 by 2 s.e. (paired by seed); any gap below 0 by 2 s.e. → not reproduced',
        params: { k: 2, margin: 0 },
      },
      check: (s) => {
        const pairs = ['ucb_over_kl', 'ts_over_kl', 'ucb_over_sq', 'ts_over_sq'] as const;
        return {
          verdict: kit.allOf([
            ...pairs.map((p) => kit.intervalVerdict(s[p], s[`${p}_sem`], 0, Number.POSITIVE_INFINITY)),
          ]),
          measured: `T = ${s.rounds}, ${s.seeds} seeds: regret NeuralUCB ${kit.fmt(s.regret_neuralucb, 1)}, NeuralTS ${kit.fmt(s.regret_neuralts, 1)}, NeuFastCB ${kit.fmt(s['regret_neufastcb-kl'], 1)}, NeuSquareCB ${kit.fmt(s['regret_neusquarecb-sq'], 1)}; paired gaps ${pairs.map((p) => `${p.replace('_over_', ' − ')} ${kit.pm(s[p], s[`${p}_sem`], 1)}`).join(', ')}`,
        };
      },
    }),
    claim.revise(sublinear(0), { ...SEED_SPREAD, revised: sublinear(2) }),
    claim.custom({
      id: 'squared-beats-egreedy',
      kind: 'control',
      statement:
        'Control: the squared-loss NeuCB (inverse-gap weighting) beats ε-greedy exploration with the same network and loss',
      requires: twoSeeds,
      rule: {
        text: 'mean regret NeuSquareCB < ε-greedy NN, and lower in ≥ 1/2 of the seeds',
        params: { minWinShare: 0.5 },
      },
      check: (s) => ({
        verdict: kit.verdictOf(s['regret_neusquarecb-sq'] < s['regret_egreedy-nn'] && s.sq_wins_share >= 0.5),
        measured: `T = ${s.rounds}: squared ${kit.pm(s['regret_neusquarecb-sq'], s['regret_sem_neusquarecb-sq'], 1)} vs ε-greedy ${kit.pm(s['regret_egreedy-nn'], s['regret_sem_egreedy-nn'], 1)}; squared lower in ${kit.fmt(100 * s.sq_wins_share, 0)}% of seeds`,
      }),
    }),
    claim.custom({
      id: 'neucb-beats-baselines',
      kind: 'control',
      statement:
        'Control: the KL NeuCB beats this reproduction’s other baselines — LinUCB, ε-greedy NN and random play',
      rule: { text: 'NeuFastCB-KL mean regret below every baseline' },
      check: (s) => {
        const kl = s['regret_neufastcb-kl'];
        const others = (['linucb', 'egreedy-nn', 'random'] as const).map((k) => s[`regret_${k}`]);
        return {
          verdict: kit.verdictOf(others.every((o) => kl < o)),
          measured: `KL ${kit.fmt(kl, 1)} vs LinUCB ${kit.fmt(s.regret_linucb, 1)}, ε-greedy ${kit.fmt(s['regret_egreedy-nn'], 1)}, random ${kit.fmt(s.regret_random, 1)}`,
        };
      },
    }),
  ],
  datasets: (cfg) => [cfg.dataset],
  async run(ctx, cfg) {
    const images = { pool: cfg.pool, offset: cfg.imageOffset, count: cfg.imagePool };
    const feats = await loadPooledImages(ctx.data, cfg.dataset, images);
    const policies = POLICIES.filter((p) => cfg.ablation || p !== 'neufastcb-kl-unperturbed');
    const T = cfg.rounds;
    const step = Math.max(1, Math.floor(T / 50));
    const record = Array.from({ length: Math.floor(T / step) }, (_, i) => (i + 1) * step);
    if (record[record.length - 1] !== T) record.push(T);
    const done = await kit.runCells(ctx, {
      label: 'seed × policy',
      cells: kit.grid({ seed: kit.seeds(cfg.seeds), policy: policies }),
      key: ({ seed, policy }) => `seed-${seed}-${policy}`,
      run: ({ seed, policy }) => {
        // One context order per seed, shared by every policy (a paired comparison).
        const rng = ctx.rng.split(`seed-${seed}`);
        const stream = shuffledStream(feats, rng.split('order'), T, 10);
        const pol = policiesOf(cfg)[policy];
        const lr = 'loss' in pol && pol.loss === 'kl' ? cfg.lrKl : cfg.lrSquared;
        const opts = { rounds: T, width: cfg.width, lr, record, rng: rng.split(policy), signal: ctx.signal };
        return runBandit(stream, pol, opts).regret;
      },
      describe: ({ seed, policy }) => `seed ${seed}: ${policy}`,
      log: ({ seed, policy }, regret) => ({ scalars: { [policy]: regret.at(-1)! }, step: seed }),
    });
    const finalsOf = (policy: PolicyName) => kit.pick(done, { policy }).map((r) => r.at(-1)!);

    const scalars: Scalars<Scalar> = { rounds: T, seeds: cfg.seeds };
    const curves: SeriesRow[] = [];
    const rows: Array<Array<number | string>> = [];
    const from = record.findIndex((r) => r >= T / 10);
    for (const p of policies) {
      const finals = kit.meanSem(finalsOf(p));
      scalars[`regret_${p}`] = finals.mean;
      scalars[`regret_sem_${p}`] = finals.sem;
      const perSeed = record.map((_, i) => kit.pick(done, { policy: p }).map((r) => r[i]!));
      const perRound = perSeed.map((v) => kit.meanSem(v));
      const fit = kit.logLogSlope(record.slice(from), perSeed.slice(from));
      const slope = fit.slope;
      scalars[`slope_${p}`] = slope;
      scalars[`slope_sem_${p}`] = fit.sem;
      const policy = LABELS[p];
      curves.push(...perRound.map(({ mean, sem }, i) => ({ round: record[i]!, policy, regret: mean, sem })));
      rows.push([
        policy,
        rounded(finals.mean, 1),
        rounded(finals.sem, 1),
        rounded(finals.mean / T, 3),
        rounded(slope, 3),
      ]);
    }
    const [kl, sq, eg] = (['neufastcb-kl', 'neusquarecb-sq', 'egreedy-nn'] as const).map(finalsOf);
    scalars.kl_wins_share = kit.meanSem(kl!.map((v, i) => (v < sq![i]! ? 1 : 0))).mean;
    for (const [pair, [b, a]] of Object.entries(PAIRS) as Array<[Pair, readonly [PolicyName, PolicyName]]>) {
      Object.assign(scalars, kit.gapScalars(pair, finalsOf(b), finalsOf(a)));
    }
    scalars.sq_wins_share = kit.meanSem(sq!.map((v, i) => (v < eg![i]! ? 1 : 0))).mean;
    return {
      scalars,
      series: { regret: curves },
      plots: [
        plot(
          'cumulative-regret',
          `Cumulative regret on ${cfg.dataset} (mean over ${cfg.seeds} seeds)`,
          ['regret', 'round', 'regret', 'round t', 'cumulative regret'],
          { color: 'policy', errorBar: 'sem', points: false },
        ),
      ],
      tables: [
        kit.table(
          'final-regret',
          `Cumulative regret after T = ${T} rounds`,
          ['policy', 'mean regret', '± s.e.', 'regret / T', 'log-log slope on [T/10, T]'],
          rows,
        ),
      ],
    };
  },
});
