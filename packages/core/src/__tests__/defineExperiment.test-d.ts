// Type-level tests (checked by `tsc -p tsconfig.test.json` in this package's test script): the inference of
// defineExperiment, scalarKeys and the kit's claim builders. A wrong key must be a compile error.
import { expectTypeOf } from 'vitest';
import {
  type ClaimOutput,
  defineExperiment,
  type Experiment,
  type ExperimentOutput,
  type Scalars,
  scalarKeys,
  z,
} from '../index.js';
import { claimsFor } from '../kit/index.js';

const config = z.strictObject({ widths: z.array(z.number()).default([8, 16]), lr: z.number().default(0.1) });
type Config = z.infer<typeof config>;
type Model = 'mlp' | 'cnn';
type Scalar = 'slope' | 'slope_sem' | `acc_${Model}`;
const claim = claimsFor<Config, Scalar>();

const exp = defineExperiment({
  id: 'demo/typed2026',
  paper: { title: 't', authors: 'a', year: 2026, url: 'https://example.org' },
  summary: 's',
  config,
  presets: { smoke: { widths: [4] }, paper: {} },
  scalars: scalarKeys<Scalar>(),
  claims: [
    claim.inRange({
      id: 'slope',
      statement: 's',
      kind: 'control',
      value: 'slope',
      sem: 'slope_sem',
      range: [-1, 0],
      label: 'slope',
    }),
    claim.custom({
      id: 'cnn-beats-mlp',
      statement: 's',
      kind: 'control',
      rule: { text: 'cnn > mlp' },
      check: (s, cfg) => {
        expectTypeOf(s.acc_cnn).toEqualTypeOf<number>();
        expectTypeOf(cfg.lr).toEqualTypeOf<number>();
        // @ts-expect-error — a key the experiment does not declare
        s.acc_rnn;
        return { verdict: s.acc_cnn > s.acc_mlp ? 'reproduced' : 'not-reproduced', measured: '' };
      },
    }),
  ],
  async run(_ctx, cfg) {
    expectTypeOf(cfg).toEqualTypeOf<Config>();
    const scalars: Scalars<Scalar> = { slope: -0.5, slope_sem: 0.1 };
    for (const m of ['mlp', 'cnn'] as const) scalars[`acc_${m}`] = 0.9;
    // @ts-expect-error — writing an undeclared scalar is a compile error
    scalars.acc_rnn = 1;
    return { scalars };
  },
});

expectTypeOf(exp).toEqualTypeOf<Experiment<Config, Scalar>>();
expectTypeOf<ExperimentOutput<Scalar>['scalars']>().toEqualTypeOf<{
  slope?: number;
  slope_sem?: number;
  acc_mlp?: number;
  acc_cnn?: number;
}>();
expectTypeOf<ClaimOutput<Scalar>['scalars']['acc_mlp']>().toEqualTypeOf<number>();

claim.inRange({
  id: 'x',
  statement: 's',
  kind: 'control',
  // @ts-expect-error — a claim builder naming an undeclared scalar is a compile error
  value: 'slop',
  range: [0, 1],
  label: 'x',
});

// Without declared keys the experiment still compiles.
const untyped = defineExperiment({
  id: 'demo/untyped2026',
  paper: { title: 't', authors: 'a', year: 2026, url: 'https://example.org' },
  summary: 's',
  config,
  presets: { smoke: {}, paper: {} },
  claims: [],
  async run() {
    return { scalars: { anything: 1 } };
  },
});
// Without a declaration the keys are inferred from what `run` returns.
expectTypeOf(untyped).toEqualTypeOf<Experiment<Config, 'anything'>>();
