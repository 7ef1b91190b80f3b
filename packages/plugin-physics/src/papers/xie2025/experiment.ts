import { defineExperiment, type Rng, type Scalars, type SeriesRow, scalarKeys, z } from '@paperlab/core';
import * as kit from '@paperlab/core/kit';
import { eigh, type Mat } from '@paperlab/core/linalg';
import { linePlot } from '@paperlab/core/plots';
import { countField, seedsField } from '../../config.js';
import { TETRIS } from '../../data/tetris.js';
import type { ProductKind } from '../../equivariance/invariants.js';
import { embedPoints, invariantNet, threeBodyInvariants } from '../../equivariance/invariants.js';
import { shCount } from '../../equivariance/sphericalHarmonics.js';
import {
  cgTensorProduct,
  gauntGrid,
  gauntTensorProduct,
  tpPaths,
} from '../../equivariance/tensorProducts.js';
import { eulerRotation, rotate, rotateFeatures, wignerD } from '../../equivariance/wigner.js';

const config = z.strictObject({
  lMax: z
    .number()
    .int()
    .min(1)
    .max(8)
    .default(6)
    .describe('largest degree of the equivariance and runtime sweeps'),
  lExpressivity: z
    .number()
    .int()
    .min(1)
    .max(5)
    .default(4)
    .describe('largest degree of the expressivity (rank) sweep'),
  lInvariant: z.number().int().min(1).max(4).default(2).describe('degree of the shape network'),
  channels: z.number().int().min(2).max(6).default(3).describe('radial channels of the shape embedding'),
  rotations: countField(1, 1000, 12).describe(
    'random rotations per shape (half to fit centroids, half to test)',
  ),
  timingReps: countField(1, 100_000, 200).describe('products timed per degree (median of 5 batches)'),
  seeds: seedsField(3).describe('random invariant networks'),
});

/** Config of physics/xie2025. */
export type Xie2025Config = z.infer<typeof config>;

type Scalar =
  | `eq_err_${ProductKind}`
  | `expr_${ProductKind}_lmax`
  | 'expr_gaunt_below'
  | 'expr_degrees'
  | `pair_acc_${ProductKind}`
  | `other_acc_${ProductKind}`
  | `mirror_gap_${ProductKind}`
  | 'rot_inv_err'
  | 'l_max'
  | 'seeds';

const claim = kit.claimsFor<Xie2025Config, Scalar>();
const KINDS: readonly ProductKind[] = ['cg', 'gaunt'];
const NAME: Record<ProductKind, string> = { cg: 'Clebsch–Gordan TP', gaunt: 'Gaunt TP (sphere grid)' };

const randomFeature = (rng: Rng, L: number) => Float64Array.from({ length: shCount(L) }, () => rng.normal());
const randomRotation = (rng: Rng) =>
  eulerRotation(rng.range(0, 2 * Math.PI), Math.acos(rng.range(-1, 1)), rng.range(0, 2 * Math.PI));
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** Largest |TP(Dx, Dy) − D·TP(x, y)| over random features and a random rotation at degree L (outputs ≤ L). */
function equivarianceError(kind: ProductKind, L: number, rng: Rng): number {
  const R = randomRotation(rng);
  const D = wignerD(L, R);
  const [x, y] = [randomFeature(rng, L), randomFeature(rng, L)];
  const g = kind === 'gaunt' ? gauntGrid(L, L, L) : null;
  const tp = (a: Float64Array, b: Float64Array) =>
    g ? gauntTensorProduct(a, b, g) : cgTensorProduct(a, L, b, L, L);
  const ref = tp(x, y);
  const scale = Math.max(...Array.from(ref, Math.abs));
  return maxAbsDiff(tp(rotateFeatures(D, x), rotateFeatures(D, y)), rotateFeatures(D, ref)) / scale;
}

/**
 * Expressivity as the paper defines it: the dimension of the span of bilinear maps Lin ∘ TP ∘ (Lin, Lin) with
 * per-degree linear layers, measured as the numerical rank of many random such maps (each flattened over basis
 * inputs).
 */
function expressivity(kind: ProductKind, L: number, rng: Rng): number {
  const n = shCount(L);
  const draws = 2 * tpPaths(L, L, L).length + 4;
  const g = kind === 'gaunt' ? gauntGrid(L, L, L) : null;
  const maps: Float64Array[] = [];
  for (let k = 0; k < draws; k++) {
    const [wx, wy, wz] = [0, 1, 2].map(() => Float64Array.from({ length: L + 1 }, () => rng.normal()));
    const byDeg = (w: Float64Array, v: Float64Array) => v.map((x, i) => x * w[Math.floor(Math.sqrt(i))]!);
    const flat = new Float64Array(n * n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const [ei, ej] = [new Float64Array(n), new Float64Array(n)];
        ei[i] = 1;
        ej[j] = 1;
        const [a, b] = [byDeg(wx!, ei), byDeg(wy!, ej)];
        const zOut = byDeg(wz!, g ? gauntTensorProduct(a, b, g) : cgTensorProduct(a, L, b, L, L));
        flat.set(zOut, (i * n + j) * n);
      }
    maps.push(flat);
  }
  const G: Mat = { rows: draws, cols: draws, data: new Float64Array(draws * draws) };
  for (let a = 0; a < draws; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let q = 0; q < maps[a]!.length; q++) s += maps[a]![q]! * maps[b]![q]!;
      G.data[a * draws + b] = s;
      G.data[b * draws + a] = s;
    }
  const ev = eigh(G).values;
  const top = Math.max(...ev);
  return ev.filter((v) => v > 1e-9 * top).length;
}

/** Median seconds per product at degree L, over `reps` products in 5 timed batches, and the counted multiply-adds. */
function timing(kind: ProductKind, L: number, reps: number, rng: Rng): { seconds: number; ops: number } {
  const [x, y] = [randomFeature(rng, L), randomFeature(rng, L)];
  const g = kind === 'gaunt' ? gauntGrid(L, L, L) : null;
  const ops = { count: 0 };
  const tp = (c?: { count: number }) =>
    g ? gauntTensorProduct(x, y, g, c) : cgTensorProduct(x, L, y, L, L, undefined, c);
  tp(ops);
  tp();
  const batches = Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) tp();
    return (performance.now() - t0) / 1000 / reps;
  }).sort((a, b) => a - b);
  return { seconds: batches[2]!, ops: ops.count };
}

type ShapeResult = Record<
  `pair_${ProductKind}` | `other_${ProductKind}` | `mirror_${ProductKind}`,
  number
> & { rotInv: number };

/** One random invariant network per kind: nearest-centroid classification of the tetris pieces under rotations. */
function shapes(cfg: Xie2025Config, rng: Rng): ShapeResult {
  const out = { rotInv: 0 } as ShapeResult;
  const rots = Array.from({ length: cfg.rotations }, () => randomRotation(rng));
  for (const kind of KINDS) {
    const net = invariantNet(kind, cfg.lInvariant, rng.split(kind));
    const feats = TETRIS.map((s) =>
      rots.map((R) =>
        threeBodyInvariants(
          net,
          embedPoints(
            s.cubes.map((p) => rotate(R, p)),
            cfg.lInvariant,
            cfg.channels,
            2,
          ),
        ),
      ),
    );
    // Rotation invariance of the features themselves.
    for (const f of feats)
      for (const v of f)
        out.rotInv = Math.max(out.rotInv, maxAbsDiff(v, f[0]!) / Math.max(1e-12, ...f[0]!.map(Math.abs)));
    const half = Math.max(1, Math.floor(cfg.rotations / 2));
    const centroid = feats.map((f) =>
      f[0]!.map((_, k) => f.slice(0, half).reduce((s, v) => s + v[k]!, 0) / half),
    );
    const classify = (v: number[]) =>
      centroid.reduce((best, c, i) => (maxAbsDiff(v, c) < maxAbsDiff(v, centroid[best]!) ? i : best), 0);
    const acc = (classes: number[]) => {
      let [right, n] = [0, 0];
      for (const c of classes)
        for (const v of feats[c]!.slice(cfg.rotations > 1 ? half : 0)) {
          right += Number(classify(v) === c);
          n++;
        }
      return right / n;
    };
    out[`pair_${kind}`] = acc([0, 1]);
    out[`other_${kind}`] = acc(TETRIS.map((_, i) => i).slice(2));
    const norm = Math.max(...centroid[0]!.map(Math.abs));
    out[`mirror_${kind}`] = maxAbsDiff(centroid[0]!, centroid[1]!) / norm;
  }
  return out;
}

/** physics/xie2025: The Price of Freedom — expressivity and runtime of equivariant tensor products (Xie et al. 2025). */
export const xie2025 = defineExperiment({
  id: 'physics/xie2025',
  paper: {
    title:
      'The Price of Freedom: Exploring Expressivity and Runtime Tradeoffs in Equivariant Tensor Products',
    authors: 'YuQing Xie, Ameya Daigavane, Mit Kotak, Tess Smidt',
    year: 2025,
    url: 'https://arxiv.org/abs/2506.13523',
    venue: 'ICML 2025',
  },
  summary:
    'The Clebsch–Gordan tensor product (every coupling path) against the Gaunt tensor product computed on a spherical ' +
    'grid (pointwise product of the features as functions on the sphere, projected back), all in one float64 harness: ' +
    'equivariance under random rotations (Wigner-D by quadrature), expressivity as the rank of the bilinear maps ' +
    'reachable with per-degree linear layers, a three-body invariant network on the eight tetris pieces (one chiral ' +
    'pair), and microbenchmarks of both products for degrees 1 … L against their asymptotic costs O(L⁶) and O(L³).',
  config,
  presets: {
    smoke: { lMax: 2, lExpressivity: 1, lInvariant: 2, channels: 2, rotations: 2, timingReps: 5, seeds: 1 },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.custom({
      id: 'gaunt-loses-expressivity',
      kind: 'paper',
      statement:
        'The Gaunt tensor product is strictly less expressive than the Clebsch–Gordan tensor product at every degree',
      source: {
        quote:
          'we emphasize that different tensor products are not performing the same operation. The reported speedups typically come at the cost of expressivity',
        where: 'abstract; §4 (expressivity)',
        restated:
          'expressivity = numerical rank of random maps Lin ∘ TP ∘ (Lin, Lin) per degree L = 1 … lExpressivity',
      },
      requires: [claim.atLeast('expr_degrees', 2, 'degrees in the expressivity sweep')],
      rule: { text: 'rank(Gaunt) < rank(CG) at every degree swept', params: { atEvery: true } },
      check: (s) => ({
        verdict: kit.verdictOf(s.expr_gaunt_below === s.expr_degrees),
        measured: `Gaunt below CG at ${s.expr_gaunt_below}/${s.expr_degrees} degrees; at the largest: ${s.expr_gaunt_lmax} vs ${s.expr_cg_lmax}`,
      }),
    }),
    claim.custom({
      id: 'gaunt-mirror-blind',
      kind: 'paper',
      statement:
        'Lacking the antisymmetric (odd) paths, Gaunt products cannot tell a chiral pair apart; CG products can',
      source: {
        quote:
          'GTP ... only contains the interactions with l1 + l2 + l3 even, and hence cannot represent antisymmetric operations such as the cross product (paraphrase)',
        where: '§4 (expressivity and interactability)',
        restated:
          'nearest-centroid accuracy on the two chiral tetris pieces under random rotations, three-body invariant networks',
      },
      requires: [claim.atLeast('seeds', 2, 'random networks')],
      rule: {
        text: 'CG pair accuracy ≥ 95% and Gaunt pair accuracy ≤ 60% (chance is 50%)',
        params: { cgMin: 0.95, gauntMax: 0.6 },
      },
      check: (s) => ({
        verdict: kit.verdictOf(s.pair_acc_cg >= 0.95 && s.pair_acc_gaunt <= 0.6),
        measured: `chiral-pair accuracy: CG ${kit.pct(s.pair_acc_cg)}, Gaunt ${kit.pct(s.pair_acc_gaunt)}; mirror feature gap CG ${s.mirror_gap_cg.toExponential(1)}, Gaunt ${s.mirror_gap_gaunt.toExponential(1)}`,
      }),
    }),
    claim.custom({
      id: 'runtime-not-asymptotic',
      kind: 'paper',
      statement:
        'Measured runtimes do not follow the asymptotic costs: Gaunt’s measured speed-up over CG grows far less than L³',
      source: {
        quote: 'We find that the theoretical runtime guarantees can differ wildly from empirical performance',
        where: 'abstract; §6 (microbenchmarks)',
        restated:
          'speed-up growth from L = 1 to L = lMax, (t_CG/t_Gaunt)(lMax)/(t_CG/t_Gaunt)(1), against the asymptotic lMax³: below half of it',
      },
      requires: [claim.atLeast('l_max', 4, 'largest degree timed')],
      rule: { text: 'measured speed-up growth < 0.5 × lMax³', params: { factor: 0.5 } },
      check: (s, _c, out) => {
        const rows = out.series?.timing ?? [];
        const t = (kind: ProductKind, L: number) =>
          Number(rows.find((r) => r.kind === NAME[kind] && r.L === L)?.seconds);
        const speed = (L: number) => t('cg', L) / t('gaunt', L);
        const growth = speed(s.l_max) / speed(1);
        const predicted = s.l_max ** 3;
        if (!Number.isFinite(growth)) return { verdict: 'inconclusive', measured: 'timing rows missing' };
        return {
          verdict: kit.verdictOf(growth < 0.5 * predicted),
          measured: `speed-up ${kit.fmt(speed(1), 2)}× at L = 1, ${kit.fmt(speed(s.l_max), 2)}× at L = ${s.l_max}: growth ${kit.fmt(growth, 2)} vs asymptotic ${predicted}`,
        };
      },
    }),
    claim.custom({
      id: 'both-equivariant',
      kind: 'control',
      statement:
        'Control: both products are equivariant to float64 tolerance at every degree (so differences are not bugs)',
      rule: { text: 'max relative equivariance error < 1e-9 for CG and Gaunt', params: { max: 1e-9 } },
      check: (s) => ({
        verdict: kit.verdictOf(Math.max(s.eq_err_cg, s.eq_err_gaunt) < 1e-9),
        measured: `max relative error CG ${s.eq_err_cg.toExponential(1)}, Gaunt ${s.eq_err_gaunt.toExponential(1)} (L ≤ ${s.l_max})`,
      }),
    }),
    claim.custom({
      id: 'invariants-exact',
      kind: 'control',
      statement:
        'Control: the shape features are rotation invariant and both networks classify the six achiral pieces',
      rule: {
        text: 'relative rotation drift < 1e-9 and achiral accuracy = 100% for both',
        params: { max: 1e-9 },
      },
      check: (s) => ({
        verdict: kit.verdictOf(s.rot_inv_err < 1e-9 && s.other_acc_cg === 1 && s.other_acc_gaunt === 1),
        measured: `rotation drift ${s.rot_inv_err.toExponential(1)}; achiral accuracy CG ${kit.pct(s.other_acc_cg)}, Gaunt ${kit.pct(s.other_acc_gaunt)}`,
      }),
    }),
  ],
  async run(ctx, cfg: Xie2025Config) {
    const degrees = Array.from({ length: cfg.lMax }, (_, i) => i + 1);
    const eq = await kit.runCells(ctx, {
      label: 'equivariance: kind × degree',
      cells: kit.grid({ kind: KINDS, L: degrees }),
      key: ({ kind, L }) => `eq-${kind}-${L}`,
      run: ({ kind, L }) => equivarianceError(kind, L, ctx.rng.split(`eq-${kind}-${L}`)),
    });
    const exprDegrees = degrees.filter((L) => L <= cfg.lExpressivity);
    const expr = await kit.runCells(ctx, {
      label: 'expressivity: kind × degree',
      cells: kit.grid({ kind: KINDS, L: exprDegrees }),
      key: ({ kind, L }) => `expr-${kind}-${L}`,
      run: ({ kind, L }) => expressivity(kind, L, ctx.rng.split(`expr-${kind}-${L}`)),
    });
    const sh = await kit.runCells(ctx, {
      label: 'tetris: random network',
      cells: kit.grid({ seed: kit.seeds(cfg.seeds) }),
      key: ({ seed }) => `shapes-${seed}`,
      run: ({ seed }) => shapes(cfg, ctx.rng.split(`shapes-${seed}`)),
    });
    // Timings are measurements of this machine, not deterministic numbers: they go to a series, never a scalar.
    const timingRows: SeriesRow[] = [];
    for (const L of degrees)
      for (const kind of KINDS) {
        const t = timing(kind, L, cfg.timingReps, ctx.rng.split(`time-${kind}-${L}`));
        timingRows.push({
          kind: NAME[kind],
          L,
          seconds: t.seconds,
          ops: t.ops,
          paths: kind === 'cg' ? tpPaths(L, L, L).length : tpPaths(L, L, L, 'even').length,
        });
      }
    const ranks = (kind: ProductKind) => exprDegrees.map((L) => kit.pick(expr, { kind, L })[0]!);
    const shapeRes = sh.map((c) => c.result);
    const scalars: Scalars<Scalar> = {
      eq_err_cg: Math.max(...kit.pick(eq, { kind: 'cg' })),
      eq_err_gaunt: Math.max(...kit.pick(eq, { kind: 'gaunt' })),
      expr_cg_lmax: ranks('cg').at(-1)!,
      expr_gaunt_lmax: ranks('gaunt').at(-1)!,
      expr_gaunt_below: exprDegrees.filter((_, i) => ranks('gaunt')[i]! < ranks('cg')[i]!).length,
      expr_degrees: exprDegrees.length,
      pair_acc_cg: kit.meanSem(shapeRes.map((r) => r.pair_cg)).mean,
      pair_acc_gaunt: kit.meanSem(shapeRes.map((r) => r.pair_gaunt)).mean,
      other_acc_cg: Math.min(...shapeRes.map((r) => r.other_cg)),
      other_acc_gaunt: Math.min(...shapeRes.map((r) => r.other_gaunt)),
      mirror_gap_cg: Math.min(...shapeRes.map((r) => r.mirror_cg)),
      mirror_gap_gaunt: Math.max(...shapeRes.map((r) => r.mirror_gaunt)),
      rot_inv_err: Math.max(...shapeRes.map((r) => r.rotInv)),
      l_max: cfg.lMax,
      seeds: cfg.seeds,
    };
    const exprRows: SeriesRow[] = exprDegrees.flatMap((L, i) =>
      KINDS.map((kind) => ({
        kind: NAME[kind],
        L,
        rank: ranks(kind)[i]!,
        paths: tpPaths(L, L, L, kind === 'cg' ? 'all' : 'even').length,
      })),
    );
    return {
      scalars,
      series: { timing: timingRows, expressivity: exprRows },
      plots: [
        linePlot({
          id: 'runtime',
          title: 'Seconds per tensor product (this machine, float64 JS)',
          series: 'timing',
          x: 'L',
          y: 'seconds',
          color: 'kind',
          logY: true,
        }),
        linePlot({
          id: 'expressivity',
          title: 'Expressivity (rank of reachable bilinear maps)',
          series: 'expressivity',
          x: 'L',
          y: 'rank',
          color: 'kind',
        }),
      ],
      tables: [
        kit.table(
          'runtime',
          'Microbenchmark: median seconds per product and counted multiply-adds',
          ['L', 'CG s', 'CG ops', 'Gaunt s', 'Gaunt ops', 'CG/Gaunt time'],
          degrees.map((L) => {
            const [c, g] = [
              timingRows.find((r) => r.L === L && r.kind === NAME.cg)!,
              timingRows.find((r) => r.L === L && r.kind === NAME.gaunt)!,
            ];
            return [
              L,
              c.seconds as number,
              c.ops as number,
              g.seconds as number,
              g.ops as number,
              (c.seconds as number) / (g.seconds as number),
            ];
          }),
        ),
        kit.table(
          'expressivity',
          'Expressivity per degree (numerical rank) and path counts',
          ['L', 'CG rank', 'CG paths', 'Gaunt rank', 'even paths'],
          exprDegrees.map((L, i) => [
            L,
            ranks('cg')[i]!,
            tpPaths(L, L, L).length,
            ranks('gaunt')[i]!,
            tpPaths(L, L, L, 'even').length,
          ]),
        ),
      ],
    };
  },
});
