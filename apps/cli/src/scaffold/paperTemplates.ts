import { identifierOf, jsString, typeNameOf } from './names.js';

/** What a new paper's files are made from. */
export interface PaperTemplateInput {
  /** Plugin namespace, e.g. `ntk`. */
  plugin: string;
  /** Paper slug, e.g. `jacot2018`. */
  slug: string;
  /** The paper card; placeholders (with `TODO`) where not given. */
  title: string;
  authors: string;
  year: number;
  url: string;
}

/** Marks text still to be written; the paper's test lists what still carries it. */
export const TODO = 'TODO';

/** The rule texts of the stub claims, as the kit writes them (the README's claims table repeats them). */
const RULES = {
  paper: 'method − baseline mean > 0 by 2 s.e.',
  control: 'baseline mean in [-0.25, 0.25] (with ±2 s.e.)',
};

/** `src/papers/<slug>/experiment.ts`: a runnable stub on the kit (config, presets, typed scalars, two claims, runCells). */
export function experimentTemplate(p: PaperTemplateInput): string {
  const id = `${p.plugin}/${p.slug}`;
  const ident = identifierOf(p.slug);
  const Config = `${typeNameOf(p.slug)}Config`;
  return `import { defineExperiment, scalarKeys, z } from '@paperlab/core';
import { claimsFor, fmt, grid, mean, meanSem, pairedGap, runCells, seeds, table } from '@paperlab/core/kit';

// Scaffolded by \`paperlab new paper ${id}\`. The science below is a stand-in — a seeded "method" sample whose
// mean is shifted by \`effect\`, against a "baseline" sample on the same seed — so that the paper runs, its claims
// give real verdicts and its test passes from the start. ${TODO}: replace the cell's computation with the paper's
// model and measurement, keep the shape (cells × seeds → summaries → claims), and write each claim's rule from
// the paper and a smoke run before the paper preset is first run (changing it after is a revision).

const config = z.strictObject({
  samples: z.number().int().min(2).default(4096).describe('samples drawn per cell'),
  effect: z.number().default(0.5).describe('how much the method beats the baseline (the stand-in science)'),
  seeds: z.number().int().min(2).max(64).default(10).describe('independent seeds (N of the standard errors)'),
});

/** Config of ${id}. */
export type ${Config} = z.infer<typeof config>;

/** Every scalar the run writes: a claim that reads another key is a compile error. */
type Scalar = 'method_mean' | 'baseline_mean' | 'baseline_sem' | 'gap' | 'gap_sem' | 'seeds';

const claim = claimsFor<${Config}, Scalar>();

/** ${id}: ${p.title.replace(/\*\//g, '* /')}. */
export const ${ident} = defineExperiment({
  id: '${id}',
  paper: {
    title: ${jsString(p.title)},
    authors: ${jsString(p.authors)},
    year: ${p.year},
    url: ${jsString(p.url)},
  },
  summary:
    '${TODO}: one paragraph — what is run and what it shows. For now: a seeded method sample against a baseline ' +
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
      statement: '${TODO}: the paper’s headline result, e.g. "the method scores higher than the baseline"',
      source: {
        quote: '${TODO}: the paper’s words (a short paraphrase is fine)',
        where: '${TODO}: section, table, figure or abstract',
      },
      requires: [claim.atLeast('seeds', 3, 'seeds')],
      gap: 'gap',
      sem: 'gap_sem',
      a: 'method',
      b: 'baseline',
      what: 'mean',
      detail: (s) => \`N = \${s.seeds} seeds\`,
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
      key: ({ seed }) => \`cell-s\${seed}\`,
      // Same seed, same data: the method and the baseline are measured on paired draws.
      run: ({ seed }) => {
        const rng = ctx.rng.split(\`seed-\${seed}\`);
        return {
          baseline: mean(rng.split('baseline').normals(cfg.samples)),
          method: mean(rng.split('method').normals(cfg.samples, cfg.effect)),
        };
      },
      describe: ({ seed }, r) => \`seed \${seed}: gap \${fmt(r.method - r.baseline)}\`,
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
`;
}

/** `src/papers/<slug>/<slug>.test.ts`: smoke run with determinism and no leak, each claim can fail, a reminder. */
export function paperTestTemplate(p: PaperTemplateInput): string {
  const id = `${p.plugin}/${p.slug}`;
  const ident = identifierOf(p.slug);
  return `import type { AnyExperiment } from '@paperlab/core';
import { expectClaimCanFail, expectSmoke, suiteEnvironment } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../../index.js';
import { ${ident} } from './experiment.js';

/** What still carries a ${TODO} placeholder: the paper card, the summary, and every paper claim's source. */
function placeholders(e: AnyExperiment): string[] {
  const left = (['title', 'authors', 'url'] as const).filter((k) => String(e.paper[k]).includes('${TODO}'));
  const out = left.map((k) => \`paper.\${k}\`);
  if (e.summary.includes('${TODO}')) out.push('summary');
  for (const c of e.claims) {
    const words = [c.statement, c.source?.quote ?? '', c.source?.where ?? ''].join(' ');
    if (words.includes('${TODO}')) out.push(\`claim \${c.id} (statement, source quote and place)\`);
  }
  return out;
}

describe('${id}', () => {
  const env = suiteEnvironment([plugin]);

  it('smoke: completes, same seed gives the same numbers, another seed others, no tensor leak', async () => {
    await expectSmoke(env, '${id}', {
      differs: 'gap',
      finite: 'all',
      claims: [
        ['method-beats-baseline', 'paper'],
        ['baseline-centred', 'control'],
      ],
    });
  });

  // A claim that cannot fail is not a claim: each is fed outputs on both sides of its rule.
  it('method-beats-baseline: reproduced, not reproduced, inconclusive on a straddle or too few seeds', () => {
    expectClaimCanFail(${ident}, 'method-beats-baseline', {
      base: { gap: 0.5, gap_sem: 0.1, seeds: 8 },
      pass: {},
      fail: { gap: -0.5 },
      inconclusive: [{ gap: 0.1 }, { seeds: 2 }],
    });
  });

  it('baseline-centred: reproduced, not reproduced, inconclusive on a straddle', () => {
    expectClaimCanFail(${ident}, 'baseline-centred', {
      base: { baseline_sem: 0.02 },
      pass: { baseline_mean: 0.01 },
      fail: { baseline_mean: 0.6 },
      inconclusive: [{ baseline_mean: 0.24 }],
    });
  });

  // A reminder, not a failure: listed as "todo" until the paper card and the claims quote the paper.
  const left = placeholders(${ident});
  if (left.length > 0) it.todo(\`fill in from the paper: \${left.join('; ')}\`);
  else
    it('quotes the paper: every paper claim has its words and place', () => {
      const paper = ${ident}.claims.filter((x) => x.kind === 'paper');
      for (const c of paper) expect(c.source?.where).toBeTruthy();
    });
});
`;
}

/** `src/papers/<slug>/README.md`, with the sections a paper's README has (paper, scale, data, claims, revisions, how to run, the rest). */
export function paperReadmeTemplate(p: PaperTemplateInput): string {
  const id = `${p.plugin}/${p.slug}`;
  return `# ${id} — ${p.title}

${p.authors} (${p.year}). <${p.url}>

> Scaffolded by \`paperlab new paper ${id}\`: the experiment runs a stand-in (a seeded mean) so that everything
> works from the start. Replace each ${TODO}; the paper's test lists the placeholders left in the code.

## The paper

${TODO}: the question, the method and the headline result, in one paragraph.

## What is reproduced, and at what scale

${TODO}: which of the paper's results this experiment checks, on what model, data and budget, and how that
compares with the paper's scale (the \`paper\` preset is the CPU-scale reproduction; \`smoke\` takes seconds).

## Simulated or proxy data

${TODO}: what is generated or substituted for the paper's data, and what that leaves testable.

## Claims

Paper claims quote the paper with their place; controls are checks this reproduction adds, not the paper's
results. Rules are fixed before the paper-preset run that judges them.

| kind | claim | the paper says (where, number) | our rule | measured | verdict |
| --- | --- | --- | --- | --- | --- |
| paper | method-beats-baseline | ${TODO} (${TODO}) | ${RULES.paper} | ${TODO} | ${TODO} |
| control | baseline-centred | — | ${RULES.control} | ${TODO} | ${TODO} |

${TODO}: fill \`measured\` and \`verdict\` from a paper-preset run and give its command, backend, seed and wall time.

## Revisions

None. A rule changed after a paper-preset run was seen is a revision: keep the original rule, add the new one
with its date and a one-line reason (\`claim.revise\` in \`@paperlab/core/kit\`), and report both verdicts.

## How to run

\`\`\`sh
paperlab run ${id} --preset smoke   # seconds
paperlab run ${id}                  # the paper preset
paperlab info ${id}                 # claims, presets and every --set flag
\`\`\`

## What would be needed for the rest

${TODO}: the parts of the paper this experiment does not test, and what testing them would take (data,
compute, components).
`;
}
