// A tiny plugin for in-process CLI tests: one experiment whose claims' verdicts follow its config, so a test can
// move a verdict in either direction with --set; it has a revised claim and a control.
import { defineExperiment, definePlugin, scalarKeys, z } from '@paperlab/core';

const config = z.strictObject({
  /** The one number the experiment "measures". */
  value: z.number().default(1),
});
type Config = z.infer<typeof config>;
type Scalar = 'value';

/** `fake/doe2020`: verdicts are set by `value` — > 0 reproduced, < 0 not reproduced, 0 inconclusive. */
export const doe2020 = defineExperiment<Config, Scalar>({
  id: 'fake/doe2020',
  paper: { title: 'A Paper That Is Not', authors: 'J. Doe', year: 2020, url: 'https://example.org/doe2020' },
  summary: 'Writes its config value as a scalar; claims judge it.',
  config,
  presets: { smoke: {}, paper: {} },
  scalars: scalarKeys<Scalar>(),
  claims: [
    {
      id: 'value-positive',
      kind: 'paper',
      statement: 'The value is positive',
      source: { quote: 'the value is positive', where: 'Table 2', value: '0.9' },
      rule: { type: 'sign', text: 'value > 0 (0 is inconclusive)' },
      check: (out) => {
        const v = out.scalars.value;
        return {
          verdict: v > 0 ? 'reproduced' : v < 0 ? 'not-reproduced' : 'inconclusive',
          measured: `value = ${v}`,
          expected: 'value > 0',
        };
      },
    },
    {
      id: 'value-small',
      kind: 'paper',
      statement: 'The value is small',
      source: { quote: 'a small value', where: '§3' },
      rule: { type: 'range', text: 'value < 0.5' },
      check: (out) => ({
        verdict: out.scalars.value < 0.5 ? 'reproduced' : 'not-reproduced',
        measured: `value = ${out.scalars.value}`,
        expected: 'value < 0.5',
      }),
      revision: {
        date: '2026-12-01',
        reason: 'the paper’s unit is tenths',
        rule: { type: 'range', text: 'value < 5' },
        check: (out) => ({
          verdict: out.scalars.value < 5 ? 'reproduced' : 'not-reproduced',
          measured: `value = ${out.scalars.value}`,
          expected: 'value < 5',
        }),
      },
    },
    {
      id: 'value-finite',
      kind: 'control',
      statement: 'The run wrote a finite value',
      rule: { type: 'custom', text: 'value is finite' },
      check: (out) => ({
        verdict: 'reproduced',
        measured: `value = ${out.scalars.value}`,
        expected: 'finite',
      }),
    },
  ],
  async run(_ctx, cfg) {
    return { scalars: { value: cfg.value } };
  },
});

/** A second experiment with one paper claim (so tables span experiments). */
export const roe2021 = defineExperiment<Config, Scalar>({
  ...doe2020,
  id: 'fake/roe2021',
  paper: { ...doe2020.paper, authors: 'R. Roe', year: 2021, url: 'https://example.org/roe2021' },
  claims: [doe2020.claims[0]!],
});

/** The plugin, in its explicit-identity form (no package.json to read). */
export const fakePlugin = definePlugin({
  name: 'fake',
  packageName: 'paperlab-plugin-fake',
  version: '0.0.0',
  core: '^0.1.0',
  description: 'test plugin',
  setup(ctx) {
    ctx.experiment(doe2020);
    ctx.experiment(roe2021);
  },
});
