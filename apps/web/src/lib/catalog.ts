import { type AnyExperiment, type Lab, z } from '@paperlab/core';
import { type JsonObject, resolveConfig } from '@paperlab/core/runs';
import type { Catalog, CatalogExperiment, JsonSchema } from './protocol.js';

function presetOrder(names: string[]): string[] {
  const first = ['smoke', 'paper'].filter((n) => names.includes(n));
  return [...first, ...names.filter((n) => !first.includes(n)).sort()];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The JSON-serialisable description of one experiment the UI builds its card and form from. */
export function describeExperiment(experiment: AnyExperiment): CatalogExperiment {
  const presets = presetOrder(Object.keys(experiment.presets));
  const resolved: CatalogExperiment['resolved'] = {};
  for (const preset of presets) {
    try {
      resolved[preset] = { config: resolveConfig<JsonObject>(experiment, { preset }).config };
    } catch (err) {
      resolved[preset] = { error: message(err) };
    }
  }
  let defaults: JsonObject | null = null;
  try {
    defaults = resolveConfig<JsonObject>(experiment, { preset: null }).config;
  } catch {
    // The schema needs values no default provides: only presets can run.
  }
  return {
    id: experiment.id,
    plugin: experiment.id.split('/')[0]!,
    paper: { ...experiment.paper },
    summary: experiment.summary,
    claims: experiment.claims.map((c) => ({ id: c.id, statement: c.statement })),
    presets,
    resolved,
    defaults,
    schema: z.toJSONSchema(experiment.config, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
  };
}

/** Lists a Lab's plugins and experiments as plain JSON for the UI. */
export function buildCatalog(lab: Lab, backends: string[], warnings: string[] = []): Catalog {
  const experiments = lab.listExperiments().map(describeExperiment);
  const plugins = lab.listPlugins().map((p) => ({
    name: p.name,
    packageName: p.packageName,
    version: p.version,
    description: p.description,
    ...(p.warning ? { warning: p.warning } : {}),
    experiments: experiments.filter((e) => e.plugin === p.name).map((e) => e.id),
  }));
  return { plugins, experiments, backends, warnings };
}
