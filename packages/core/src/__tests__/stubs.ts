import { z } from 'zod';
import { defineExperiment } from '../contracts/experiment.js';

/** A minimal valid experiment (empty config, no claims, empty result), for registry and packaging tests. */
export const stubExperiment = (id: `${string}/${string}`) =>
  defineExperiment({
    id,
    paper: { title: 'T', authors: 'A', year: 2020, url: 'https://example.org' },
    summary: 's',
    config: z.strictObject({}),
    presets: { smoke: {}, paper: {} },
    claims: [],
    run: async () => ({ scalars: {} }),
  });
