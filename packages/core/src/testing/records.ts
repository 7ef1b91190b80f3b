import { RUN_SCHEMA, type RunHeader } from '../runs/record.js';

/**
 * A valid completed run header for store tests: run `id` of 'demo/x2020' (preset smoke, seed 0, cpu backend on
 * node) created and last updated at `createdAt`; `overrides` replace whole fields.
 */
export function sampleRunHeader(
  id: string,
  createdAt = '2026-01-01T00:00:00.000Z',
  overrides: Partial<RunHeader> = {},
): RunHeader {
  return {
    schema: RUN_SCHEMA,
    id,
    experiment: 'demo/x2020',
    paper: { title: 't', authors: 'a', year: 2020, url: 'https://example.org' },
    plugin: { name: 'demo', packageName: 'demo', version: '1.0.0' },
    preset: 'smoke',
    overrides: {},
    config: { n: 1 },
    seed: 0,
    backend: { name: 'cpu', requested: 'cpu', fallbacks: [], patches: [], platform: 'node' },
    versions: {},
    host: { platform: 'linux-x64' },
    status: 'completed',
    createdAt,
    updatedAt: createdAt,
    attempts: 1,
    ...overrides,
  };
}
