import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import { claimsFor, fmt, grid, mean, meanSem, pairedGap, runCells, seeds, table } from '@paperlab/core/kit';

// Scaffolded by `paperlab new paper compression/elkerdawy2021`. The science below is a stand-in — a seeded "method" sample whose
// mean is shifted by `effect`, against a "baseline" sample on the same seed — so that the paper runs, its claims
// give real verdicts and its test passes from the start. TODO: replace the cell's computation with the paper's
// model and measurement, keep the shape (cells × seeds → summaries → claims), and write each claim's rule from
// the paper and a smoke run before the paper preset is first run (changing it after is a revision).

const config = z.strictObject({
  samples: z.number().int().min(2).default(4096).describe('samples drawn per cell'),
  effect: z.number().default(0.5).describe('how much the method beats the baseline (the stand-in science)'),
  seeds: z.number().int().min(2).max(64).default(10).describe('independent seeds (N of the standard errors)'),
});

/** Config of compression/elkerdawy2021. */
export type Elkerdawy2021Config = z.infer<typeof config>;

/** Every scalar the run writes: a claim that reads another key is a compile error. */
type Scalar = 'method_mean' | 'baseline_mean' | 'baseline_sem' | 'gap' | 'gap_sem' | 'seeds';

const claim = claimsFor<Elkerdawy2021Config, Scalar>();

/** compression/elkerdawy2021: TODO: the paper’s title. */
export const elkerdawy2021 = defineExperiment({
  id: 'compression/elkerdawy2021',
  paper: {
    title: 'TODO: the paper’s title',
    authors: 'TODO: the authors',
    year: 2021,
    url: 'https://example.org/TODO-elkerdawy2021',
  },
  summary:
    'TODO: one paragraph — what is run and what it shows. For now: a seeded method sample against a baseline ' +
    'sample, over seeds, compared by their paired mean gap.',
  config,
  presets: {
    smoke: { samples: 1024, seeds: 4 },
    paper: {},
  },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.beats({
      id: 'method-beats-baseline',
      kind: 'paper',
      statement: 'TODO: the paper’s headline result, e.g. "the method scores higher than the baseline"',
      source: {
        quote: 'TODO: the paper’s words (a short paraphrase is fine)',
        where: 'TODO: section, table, figure or abstract',
      },
      requires: [claim.atLeast('seeds', 3, 'seeds')],
      gap: 'gap',
      sem: 'gap_sem',
      a: 'method',
      b: 'baseline',
      what: 'mean',
      detail: (s) => `N = ${s.seeds} seeds`,
    }),
    claim.inRange({
      id: 'baseline-centred',
      kind: 'control',
      statement: 'The baseline measures what it should: the mean of standard normal samples is 0',
      value: 'baseline_mean',
      sem: 'baseline_sem',
      range: [-0.25, 0.25],
      label: 'baseline mean',
    }),
  ],
  async run(ctx, cfg) {
    const done = await runCells(ctx, {
      label: 'seed',
      cells: grid({ seed: seeds(cfg.seeds) }),
      key: ({ seed }) => `cell-s${seed}`,
      // Same seed, same data: the method and the baseline are measured on paired draws.
      run: ({ seed }) => {
        const rng = ctx.rng.split(`seed-${seed}`);
        return {
          baseline: mean(rng.split('baseline').normals(cfg.samples)),
          method: mean(rng.split('method').normals(cfg.samples, cfg.effect)),
        };
      },
      describe: ({ seed }, r) => `seed ${seed}: gap ${fmt(r.method - r.baseline)}`,
      log: ({ seed }, r) => ({ scalars: { method: r.method, baseline: r.baseline }, step: seed }),
    });
    const method = done.map((d) => d.result.method);
    const baseline = done.map((d) => d.result.baseline);
    const gap = pairedGap(method, baseline);
    const base = meanSem(baseline);
    return {
      scalars: {
        method_mean: mean(method),
        baseline_mean: base.mean,
        baseline_sem: base.sem,
        gap: gap.mean,
        gap_sem: gap.sem,
        seeds: cfg.seeds,
      },
      series: { cells: done.map(({ cell, result }) => ({ seed: cell.seed, ...result })) },
      tables: [
        table(
          'summary',
          'Method and baseline over seeds',
          ['', 'mean', 's.e.'],
          [
            ['method', fmt(mean(method)), fmt(meanSem(method).sem)],
            ['baseline', fmt(base.mean), fmt(base.sem)],
            ['paired gap', fmt(gap.mean), fmt(gap.sem)],
          ],
        ),
      ],
    };
  },
});
