import { createLab } from '@paperlab/core';
import { resolveConfig } from '@paperlab/core/runs';
import { describe, expect, it } from 'vitest';
import plugins from '../../paperlab.plugins.js';
import { buildCatalog } from '../lib/catalog.js';
import { fieldsOf } from '../lib/schemaForm.js';

describe('catalog of paperlab.plugins.ts', () => {
  it('lists every plugin and experiment as plain JSON, with presets resolved and a form for each', async () => {
    const lab = await createLab({ plugins });
    const catalog = buildCatalog(lab, ['auto', 'webgpu', 'webgl', 'wasm', 'cpu']);
    expect(catalog.plugins.map((p) => p.name)).toEqual(plugins.map((p) => p.name));
    expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
    expect(catalog.experiments.map((e) => e.id)).toEqual(lab.listExperiments().map((e) => e.id));
    for (const exp of catalog.experiments) {
      expect(exp.presets.slice(0, 2), exp.id).toEqual(['smoke', 'paper']);
      for (const preset of exp.presets) {
        const r = exp.resolved[preset]!;
        expect('config' in r ? r.config : r.error, `${exp.id} preset ${preset}`).toEqual(
          resolveConfig(lab.experiment(exp.id), { preset }).config,
        );
      }
      // Every top-level config key gets a widget.
      const keys = Object.keys((exp.resolved.smoke as { config: object }).config);
      expect(
        fieldsOf(exp.schema).map((f) => f.key),
        exp.id,
      ).toEqual(expect.arrayContaining(keys));
    }
  });
});
