import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve.js';
import type { ClaimVerdict } from '../contracts/claim.js';
import type { AnyExperiment } from '../contracts/experiment.js';
import type { PaperlabPlugin } from '../contracts/plugin.js';
import type { DataSources } from '../contracts/runContext.js';
import { renderPlots } from '../plots/render.js';
import { createLab } from '../registry/lab.js';
import { type RunEnvironment, runExperiment } from '../runs/runner.js';
import { ConfigError } from '../util/errors.js';
import { createTestEnvironment } from './environment.js';
import { checkKernelAgreement } from './kernels.js';
import { pathOf } from './paths.js';
import { pluginPackageProblems, readPluginPackage } from './pluginPackage.js';
import { checkExpectedVerdicts } from './verdicts.js';

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
  /**
   * The plugin's package directory (`new URL('..', import.meta.url)` from `src/`). Adds the plugin-level
   * checks: identity agrees with package.json, keyword and peer dependencies, every `src/papers/<slug>/`
   * registered, every paper with its folder, README (naming the id, with a results table) and test.
   */
  packageDir?: string | URL;
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
    kernel: () => {},
  });
  return out;
}

function numbersOf(out: { scalars: Record<string, number> }): Record<string, number> {
  return Object.fromEntries(Object.entries(out.scalars).map(([k, v]) => [k, Number.isNaN(v) ? -1e308 : v]));
}

/**
 * The conformance suite every plugin runs on itself. Plugin level: it loads into a Lab with a compatible
 * core range and, given `packageDir`, agrees with its package.json and registers exactly its paper folders.
 * Per experiment: paper card and presets are valid, a typo in the config is an error naming the key, the
 * smoke preset runs to completion, is deterministic under a seed, leaks no tensors, and every claim returns
 * a verdict with measured and expected values.
 */
export function describeConformance(plugin: PaperlabPlugin, options: ConformanceOptions = {}): void {
  const all = collectExperiments(plugin);
  const experiments = all.filter((e) => !options.only || options.only.includes(e.id));
  const timeout = options.timeoutMs ?? 120_000;
  const packageDir = pathOf(options.packageDir);
  const smokeVerdicts: Record<string, ClaimVerdict[]> = {};
  describe(`${plugin.packageName} conformance`, () => {
    let env: RunEnvironment;
    if (experiments.length > 0) {
      beforeAll(async () => {
        env = await createTestEnvironment([plugin], options);
      }, timeout);
    }

    // Without the package directory there is no folder scan to say a plugin is meant to be empty.
    const title = packageDir ? 'registers its experiments' : 'registers at least one experiment';
    it(`${title}, all in its namespace`, () => {
      if (!packageDir) expect(all.length).toBeGreaterThan(0);
      for (const e of all) expect(e.id).toMatch(new RegExp(`^${plugin.name}/[a-z]+[0-9]{4}[a-z0-9-]*$`));
    });

    if (packageDir) {
      const problems = () =>
        pluginPackageProblems(
          plugin,
          all.map((e) => e.id),
          readPluginPackage(packageDir),
        );

      it('agrees with its package.json: name, version, core range, keyword, peer dependencies', () => {
        expect(problems().manifest).toEqual([]);
      });

      it('registers every src/papers/<slug>/ folder; each registered paper has its folder, README and test', () => {
        expect(problems().papers).toEqual([]);
      });
    }

    it(
      'every registered kernel agrees with its tfjs-ops reference on its examples (wasm)',
      async () => {
        const lab = await createLab({ plugins: [plugin] });
        for (const spec of lab.listKernels()) {
          if (!spec.cpu && !spec.webgpu) continue;
          const examples = spec.examples?.() ?? [];
          expect(
            examples.length,
            `kernel ${spec.name} has a typed-array or WGSL implementation but no examples() to check it against its reference`,
          ).toBeGreaterThan(0);
          const { results } = await checkKernelAgreement(spec, examples, {
            ...spec.tolerance,
            backends: ['wasm'],
          });
          for (const r of results)
            expect(r.ok, `${r.kernel} ${r.impl} on ${r.case}: max abs error ${r.maxAbsError}`).toBe(true);
        }
      },
      timeout,
    );

    it('loads into a Lab under its package name, with a compatible core range', async () => {
      const lab = await createLab({ plugins: [plugin] });
      const loaded = lab.listPlugins();
      expect(loaded.map((p) => p.packageName)).toEqual([plugin.packageName]);
      expect(loaded[0]?.warning).toBeUndefined();
      expect(lab.listExperiments().map((e) => e.id)).toEqual(all.map((e) => e.id).sort());
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

        it('states every claim with a kind and a rule; paper claims quote the paper with its place', () => {
          for (const c of experiment.claims) {
            expect(['paper', 'control'], `claim ${c.id}: kind must be 'paper' or 'control'`).toContain(
              c.kind,
            );
            expect(
              c.rule?.text.length ?? 0,
              `claim ${c.id}: its rule must be stated as data (rule.text)`,
            ).toBeGreaterThan(3);
            if (c.kind === 'paper') {
              expect(
                c.source?.quote.length ?? 0,
                `paper claim ${c.id}: quote the paper (source.quote)`,
              ).toBeGreaterThan(3);
              expect(
                c.source?.where.length ?? 0,
                `paper claim ${c.id}: say where in the paper (source.where)`,
              ).toBeGreaterThan(1);
            }
            if (c.revision) {
              expect(c.revision.reason.length, `claim ${c.id}: a revision needs its reason`).toBeGreaterThan(
                3,
              );
              expect(c.revision.date, `claim ${c.id}: a revision needs its date`).toMatch(
                /^\d{4}-\d{2}-\d{2}$/,
              );
            }
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

        if (packageDir) {
          it('has a paper README naming its id, with a results table', () => {
            const slug = experiment.id.split('/')[1]!;
            const readme = join(packageDir, 'src', 'papers', slug, 'README.md');
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
            smokeVerdicts[experiment.id] = first.outcome.result?.claims ?? [];
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

    if (packageDir && experiments.length > 0 && !options.only) {
      it('smoke verdicts match the committed table (expected-verdicts.smoke.json)', () => {
        checkExpectedVerdicts(join(packageDir, 'expected-verdicts.smoke.json'), smokeVerdicts, {
          preset: 'smoke',
          seed: options.seed ?? 1,
          backend: options.backend ?? 'wasm',
        });
      });
    }
  });
}
