import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve.js';
import type { AnyExperiment } from '../contracts/experiment.js';
import type { PaperlabPlugin } from '../contracts/plugin.js';
import type { DataSources } from '../contracts/runContext.js';
import { renderPlots } from '../plots/render.js';
import { type RunEnvironment, runExperiment } from '../runs/runner.js';
import { ConfigError } from '../util/errors.js';
import { createTestEnvironment } from './environment.js';

/** Options of {@link describeConformance}. */
export interface ConformanceOptions {
  /** Backend the smoke runs use (default `wasm`). */
  backend?: string;
  /** Only these experiment ids (default: all the plugin registers). */
  only?: string[];
  /** Data sources for experiments that read real data (default: Node's). */
  data?: DataSources;
  /** Per-test timeout (default 120 s). */
  timeoutMs?: number;
  /** The plugin's `src` directory: checks each paper folder has a README with a results table. */
  sourceDir?: string;
  /** Also render every plot to SVG (default true). */
  renderPlots?: boolean;
  /** Seed of the smoke runs (default 1). */
  seed?: number;
}

/** Experiments a plugin registers (its `setup` must register synchronously for collection). */
export function collectExperiments(plugin: PaperlabPlugin): AnyExperiment[] {
  const out: AnyExperiment[] = [];
  void plugin.setup({
    namespace: plugin.name,
    experiment: (e) => out.push(e),
    component: () => {},
    kernel: () => {},
  });
  return out;
}

function numbersOf(out: { scalars: Record<string, number> }): Record<string, number> {
  return Object.fromEntries(Object.entries(out.scalars).map(([k, v]) => [k, Number.isNaN(v) ? -1e308 : v]));
}

/**
 * The conformance suite every plugin runs on itself: paper card and presets are valid, a typo in the
 * config is an error naming the key, the smoke preset runs to completion, is deterministic under a seed,
 * leaks no tensors, and every claim returns a verdict with measured and expected values.
 */
export function describeConformance(plugin: PaperlabPlugin, options: ConformanceOptions = {}): void {
  const experiments = collectExperiments(plugin).filter((e) => !options.only || options.only.includes(e.id));
  const timeout = options.timeoutMs ?? 120_000;
  describe(`${plugin.packageName} conformance`, () => {
    let env: RunEnvironment;
    beforeAll(async () => {
      env = await createTestEnvironment([plugin], options);
    }, timeout);

    it('registers at least one experiment, all in its namespace', () => {
      expect(experiments.length).toBeGreaterThan(0);
      for (const e of experiments)
        expect(e.id).toMatch(new RegExp(`^${plugin.name}/[a-z]+[0-9]{4}[a-z0-9-]*$`));
    });

    for (const experiment of experiments) {
      describe(experiment.id, () => {
        it('has a complete paper card, claims and valid presets', () => {
          const { paper } = experiment;
          expect(paper.title.length).toBeGreaterThan(3);
          expect(paper.authors.length).toBeGreaterThan(1);
          expect(paper.year).toBeGreaterThan(1900);
          expect(paper.url).toMatch(/^https?:\/\//);
          expect(experiment.summary.length).toBeGreaterThan(40);
          expect(experiment.claims.length).toBeGreaterThan(0);
          expect(new Set(experiment.claims.map((c) => c.id)).size).toBe(experiment.claims.length);
          for (const preset of Object.keys(experiment.presets)) {
            expect(() => resolveConfig(experiment, { preset })).not.toThrow();
          }
        });

        it('rejects an unknown config key, naming it', () => {
          let error: unknown;
          try {
            resolveConfig(experiment, { preset: 'smoke', overrides: ['definitelyNotAKey=1'] });
          } catch (err) {
            error = err;
          }
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as Error).message).toContain('definitelyNotAKey');
        });

        if (options.sourceDir) {
          it('has a paper README with a results table', () => {
            const slug = experiment.id.split('/')[1]!;
            const readme = join(options.sourceDir!, 'papers', slug, 'README.md');
            expect(existsSync(readme), `${readme} is missing`).toBe(true);
            const text = readFileSync(readme, 'utf8');
            expect(text).toContain(experiment.id);
            expect(text).toMatch(/^\|.*\|\s*$/m);
          });
        }

        it(
          'smoke preset: completes, deterministic under a seed, no tensor leak, claims give verdicts',
          async () => {
            const seed = options.seed ?? 1;
            const run = async () => {
              const before = tf.memory().numTensors;
              const outcome = await runExperiment(env, {
                experiment: experiment.id,
                preset: 'smoke',
                seed,
                backend: options.backend ?? 'wasm',
              });
              const after = tf.memory().numTensors;
              return { outcome, leaked: after - before };
            };
            const first = await run();
            expect(
              first.outcome.header.status,
              first.outcome.header.error?.stack ?? first.outcome.header.error?.message,
            ).toBe('completed');
            expect(first.leaked, 'tensors leaked by the smoke run').toBe(0);
            const result = first.outcome.result!;
            expect(Object.keys(result.scalars).length).toBeGreaterThan(0);
            for (const c of result.claims) {
              expect(['reproduced', 'not-reproduced', 'inconclusive']).toContain(c.verdict);
              expect(c.measured.length, `claim ${c.id} has no measured value`).toBeGreaterThan(0);
              expect(c.expected.length, `claim ${c.id} has no expected value`).toBeGreaterThan(0);
              expect(c.measured).not.toMatch(/^check failed/);
            }
            for (const p of result.plots ?? [])
              expect(result.series?.[p.series], `plot ${p.id} series`).toBeDefined();
            if (options.renderPlots !== false && result.plots?.length) {
              const svgs = await renderPlots(result);
              for (const svg of Object.values(svgs)) expect(svg).toMatch(/^<svg/);
            }
            const second = await run();
            expect(second.outcome.header.status).toBe('completed');
            expect(second.leaked).toBe(0);
            expect(numbersOf(second.outcome.result!)).toEqual(numbersOf(result));
            expect(second.outcome.result!.claims.map((c) => c.verdict)).toEqual(
              result.claims.map((c) => c.verdict),
            );
          },
          timeout,
        );
      });
    }
  });
}
