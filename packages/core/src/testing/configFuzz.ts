import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type * as FastCheck from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deepMerge, type JsonObject, resolveConfig } from '../config/resolve.js';
import type { AnyExperiment } from '../contracts/experiment.js';
import type { PaperlabPlugin } from '../contracts/plugin.js';
import type { JsonValue } from '../contracts/state.js';
import { checkCost, runExperiment } from '../runs/runner.js';
import { ConfigError } from '../util/errors.js';
import { collectExperiments } from './conformance.js';
import { createTestEnvironment } from './environment.js';
import { pathOf } from './paths.js';

/** A numeric config field: its dotted path (`[]` marks "every element of an array"). */
type Path = string[];

/** Where a config can be changed: the numeric fields, every field, and the objects that hold fields. */
interface ConfigShape {
  numeric: Path[];
  leaves: Array<{ path: Path; value: JsonValue | undefined }>;
  objects: Path[];
}

/** Values no numeric field should accept without a bound or a cost guard. */
export const HUGE_VALUES: readonly number[] = [1e9, 2 ** 31, 2 ** 53 - 1, 1e308, Number.POSITIVE_INFINITY];

const BAD_NUMBERS: readonly number[] = [
  -1,
  -1e9,
  0,
  -0,
  0.5,
  1.5,
  1e-300,
  ...HUGE_VALUES,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
];

const WRONG_TYPES: readonly JsonValue[] = [
  'abc',
  '',
  ' 12 ',
  '1e3',
  true,
  false,
  null,
  [],
  {},
  [1, 'x'],
  { a: 1 },
];

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'] as const;

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

function isNumericSchema(s: JsonSchema | undefined): boolean {
  if (!s) return false;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('number') || types.includes('integer')) return true;
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(isNumericSchema);
}

/** The fields of a config: from the resolved smoke config (defaults filled in) and the schema's properties. */
function shapeOf(experiment: AnyExperiment, base: JsonObject): ConfigShape {
  const numeric = new Map<string, Path>();
  const leaves: ConfigShape['leaves'] = [];
  const objects: Path[] = [[]];
  const walk = (value: JsonValue | undefined, path: Path) => {
    if (isObject(value)) {
      if (path.length) objects.push(path);
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      return;
    }
    leaves.push({ path, value });
    if (typeof value === 'number') numeric.set(path.join('.'), path);
    if (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'number'))
      numeric.set([...path, '[]'].join('.'), [...path, '[]']);
  };
  walk(base, []);
  let schema: JsonSchema | undefined;
  try {
    schema = z.toJSONSchema(experiment.config, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    schema = undefined;
  }
  const walkSchema = (s: JsonSchema | undefined, path: Path) => {
    for (const [k, p] of Object.entries(s?.properties ?? {})) {
      const here = [...path, k];
      if (isNumericSchema(p) && !numeric.has(here.join('.'))) {
        numeric.set(here.join('.'), here);
        leaves.push({ path: here, value: undefined });
      }
      if (p.properties) walkSchema(p, here);
    }
  };
  walkSchema(schema, []);
  return { numeric: [...numeric.values()], leaves, objects };
}

function valueAt(base: JsonObject, path: Path): JsonValue | undefined {
  let node: JsonValue | undefined = base;
  for (const k of path) node = isObject(node) ? node[k] : undefined;
  return node;
}

/** Overrides setting `path` to `value` (an array path `a.[]` replaces the array's first element). */
function override(base: JsonObject, path: Path, value: JsonValue): { path: Path; value: JsonValue } {
  if (path[path.length - 1] !== '[]') return { path, value };
  const arrayPath = path.slice(0, -1);
  const current = valueAt(base, arrayPath);
  const copy = Array.isArray(current) ? [...current] : [];
  copy[0] = value;
  return { path: arrayPath, value: copy };
}

/** JSON text as a user would type it after `--set path=`: non-finite numbers as 1e400 (what JSON.parse reads as ∞). */
function cliText(value: JsonValue): string {
  return JSON.stringify(value, (_k, v) =>
    typeof v === 'number' && !Number.isFinite(v) ? (v > 0 ? '__INF__' : v < 0 ? '__NINF__' : '__NAN__') : v,
  )
    .replace(/"__INF__"/g, '1e400')
    .replace(/"__NINF__"/g, '-1e400')
    .replace(/"__NAN__"/g, 'NaN');
}

/** One generated bad config: as `--set` lines (the CLI) or as an overrides object (the web form). */
export interface BadConfig {
  /** What was changed, for messages. */
  description: string;
  overrides: readonly string[] | JsonObject;
  /** Paths holding a value that no bounded field should accept. */
  hugeAt: string[];
}

/** What happened to a config: refused with a config error (exit 2), or accepted. */
export type FuzzOutcome = { refused: true; error: ConfigError } | { refused: false };

/**
 * Resolves a config the way `paperlab run --preset smoke --set …` does (plus the cost guard). A config error is
 * a refusal; any other error is a bug (an internal message where a user needs to be told what to fix).
 */
export function tryConfig(experiment: AnyExperiment, overrides: BadConfig['overrides']): FuzzOutcome {
  try {
    const { config } = resolveConfig(experiment, { preset: 'smoke', overrides });
    checkCost(experiment, config);
    return { refused: false };
  } catch (err) {
    if (err instanceof ConfigError) return { refused: true, error: err };
    throw err;
  }
}

/** The numeric fields of an experiment's config (`a.b`, `widths[]` for the elements of a number array). */
export function numericFields(experiment: AnyExperiment): string[] {
  const base = resolveConfig(experiment, { preset: 'smoke' }).config as JsonObject;
  return shapeOf(experiment, base).numeric.map((p) => p.join('.').replace(/\.\[\]$/, '[]'));
}

/** Numeric fields that accept {@link HUGE_VALUES} (no upper bound and no cost guard), with the largest accepted. */
export function unboundedFields(experiment: AnyExperiment): Array<{ path: string; accepts: number }> {
  const base = resolveConfig(experiment, { preset: 'smoke' }).config as JsonObject;
  const out: Array<{ path: string; accepts: number }> = [];
  for (const path of shapeOf(experiment, base).numeric) {
    let accepts: number | undefined;
    for (const huge of HUGE_VALUES) {
      const o = override(base, path, huge);
      const set = [`${o.path.join('.')}=${cliText(o.value)}`];
      if (!tryConfig(experiment, set).refused) accepts = huge;
    }
    if (accepts !== undefined) out.push({ path: path.join('.'), accepts });
  }
  return out;
}

/** A fast-check arbitrary of bad configs for one experiment: 1–3 mutations of its smoke config. */
export function badConfigArbitrary(
  fc: typeof FastCheck,
  experiment: AnyExperiment,
  options: { small?: boolean } = {},
): FastCheck.Arbitrary<BadConfig> {
  const base = resolveConfig(experiment, { preset: 'smoke' }).config as JsonObject;
  const shape = shapeOf(experiment, base);
  // `small`: only values a smoke run can afford (for configs that are then run).
  const numberArb = options.small
    ? fc.constantFrom(-1, 0, -0, 0.5, 1, 1.5, 2, 3, 1e-300)
    : fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...BAD_NUMBERS) },
        { weight: 1, arbitrary: fc.double() },
        { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }) },
      );
  const key = fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,10}$/);
  type Mutation = { path: Path; value: JsonValue; note: string; huge?: string; raw?: string };
  const mutations: Array<FastCheck.WeightedArbitrary<Mutation>> = [];
  if (shape.numeric.length)
    mutations.push({
      weight: 5,
      arbitrary: fc.tuple(fc.constantFrom(...shape.numeric), numberArb).map(([p, v]) => {
        const o = override(base, p, v);
        const huge = Number.isFinite(v) && Math.abs(v) < 1e9 ? undefined : v > 0 ? p.join('.') : undefined;
        return { ...o, note: `${p.join('.')}=${v}`, ...(huge ? { huge } : {}) };
      }),
    });
  if (shape.leaves.length)
    mutations.push({
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...shape.leaves), fc.constantFrom(...WRONG_TYPES))
        .map(([l, v]) => ({
          path: l.path,
          value: v,
          note: `${l.path.join('.')}=${JSON.stringify(v)}`,
        })),
    });
  mutations.push({
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...shape.objects), key, fc.constantFrom<JsonValue>(1, 'x', true))
      .map(([p, k, v]) => ({ path: [...p, k], value: v, note: `unknown key ${[...p, k].join('.')}` })),
  });
  mutations.push({
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...shape.objects), fc.constantFrom(...FORBIDDEN), key)
      .map(([p, f, k]) => ({
        path: [...p, f, k],
        value: 1,
        note: `prototype key ${[...p, f, k].join('.')}`,
        raw: `{${[...p, f, k].map((s) => JSON.stringify(s)).join(':{')}:1${'}'.repeat(p.length + 2)}`,
      })),
  });
  return fc
    .record({
      changes: fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 3 }),
      asObject: fc.boolean(),
    })
    .map(({ changes: all, asObject }): BadConfig => {
      // Later changes win; one that overlaps an earlier one (same path, or a prefix of it) replaces it.
      const changes: Mutation[] = [];
      for (const c of all) {
        const key = c.path.join('\u0000');
        for (let i = changes.length - 1; i >= 0; i--) {
          const other = changes[i]!.path.join('\u0000');
          if (other === key || other.startsWith(`${key}\u0000`) || key.startsWith(`${other}\u0000`))
            changes.splice(i, 1);
        }
        changes.push(c);
      }
      const description = changes.map((c) => c.note).join(', ');
      const hugeAt = changes.flatMap((c) => (c.huge ? [c.huge] : []));
      if (!asObject)
        return {
          description: `--set ${description}`,
          overrides: changes.map((c) => `${c.path.join('.')}=${cliText(c.value)}`),
          hugeAt,
        };
      // As JSON text parsed the way a file or the web form would be (so `__proto__` is an own key).
      let merged: JsonObject = {};
      for (const c of changes) {
        const change = c.raw
          ? (JSON.parse(c.raw) as JsonObject)
          : (c.path.reduceRight<JsonValue>((inner, k) => ({ [k]: inner }), c.value) as JsonObject);
        merged = deepMerge(merged, change);
      }
      return { description: `overrides ${description}`, overrides: merged, hugeAt };
    });
}

/** Options of {@link describeConfigFuzz}. */
export interface ConfigFuzzOptions {
  /** Generated configs per experiment (default 60). */
  runs?: number;
  /** fast-check seed (default 17), so a failure replays. */
  seed?: number;
  /**
   * A JSON file listing, per experiment id, the numeric fields known to accept huge values (to be bounded).
   * The test fails when a field not listed accepts them, and when a listed one no longer does (so the list
   * only shrinks). `PAPERLAB_FUZZ_WRITE=1` rewrites the file from what the probe finds.
   */
  knownUnbounded?: URL | string;
  /**
   * Also run this many accepted bad configs with small values per experiment (smoke preset, `wasm`), expecting
   * each to complete or fail with a message that is not an internal error (default
   * `$PAPERLAB_FUZZ_RUNS`, else 0: runs cost seconds each).
   */
  runAccepted?: number;
  /** Per-run deadline for `runAccepted` (ms, default 60 000): the run is aborted then. */
  runDeadlineMs?: number;
}

/** An error message that tells the user nothing they can act on (a bug surfacing as-is). */
const INTERNAL =
  /Cannot read propert|is not a function|is not iterable|Invalid typed array length|Invalid array length|undefined|null|NaN is not|Maximum call stack|out of memory/i;

/** Whether a failed run's error is internal: a JS engine error type, or a message like "x is undefined". */
export function isInternalError(error: { name: string; message: string } | undefined): boolean {
  if (!error) return false;
  if (['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError'].includes(error.name)) return true;
  return error.name === 'Error' && INTERNAL.test(error.message);
}

/**
 * Property tests of every experiment's config validation: generated bad configs (wrong types, negative, huge
 * and non-finite numbers, unknown keys, prototype keys; as `--set` lines and as objects) are refused with a
 * ConfigError naming a path — never an internal error — or accepted; accepted huge values are only allowed
 * in the fields listed in `knownUnbounded`.
 */
export function describeConfigFuzz(plugin: PaperlabPlugin, options: ConfigFuzzOptions = {}): void {
  const experiments = collectExperiments(plugin);
  const file = pathOf(options.knownUnbounded);
  const known: Record<string, string[]> =
    file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>) : {};
  const found: Record<string, string[]> = {};
  describe(`${plugin.packageName} config fuzz`, () => {
    for (const experiment of experiments) {
      describe(experiment.id, () => {
        it('refuses bad configs with a config error naming the path, never an internal error', async () => {
          const fc = await import('fast-check');
          let generated = 0;
          let refused = 0;
          fc.assert(
            fc.property(badConfigArbitrary(fc, experiment), (bad) => {
              generated++;
              let outcome: FuzzOutcome;
              try {
                outcome = tryConfig(experiment, bad.overrides);
              } catch (err) {
                throw new Error(
                  `${experiment.id}, ${bad.description}: internal error instead of a config error: ${(err as Error).stack ?? err}`,
                );
              }
              if (outcome.refused) {
                refused++;
                expect(outcome.error.code).toBe('E_CONFIG');
                expect(outcome.error.issues.length).toBeGreaterThan(0);
                for (const issue of outcome.error.issues) expect(issue.path.length).toBeGreaterThan(0);
                expect(outcome.error.message).not.toMatch(/\[object Object\]/);
                return;
              }
              if (process.env.PAPERLAB_FUZZ_WRITE) return;
              const allowed = new Set(known[experiment.id] ?? []);
              for (const p of bad.hugeAt) {
                const field = p.replace(/\.\[\]$/, '[]');
                expect(
                  allowed.has(field),
                  `${experiment.id}: ${bad.description} was accepted: '${field}' has no upper bound (and no cost guard)`,
                ).toBe(true);
              }
            }),
            { numRuns: options.runs ?? 60, seed: options.seed ?? 17 },
          );
          expect(generated).toBe(options.runs ?? 60);
          expect(refused).toBeGreaterThan(0);
        });

        const runs = options.runAccepted ?? Number(process.env.PAPERLAB_FUZZ_RUNS ?? 0);
        if (runs > 0) {
          it(
            `runs ${runs} accepted bad configs with small values to a clean end (no hang, no internal error)`,
            async () => {
              const fc = await import('fast-check');
              const env = await createTestEnvironment([plugin]);
              const accepted = fc
                .sample(badConfigArbitrary(fc, experiment, { small: true }), {
                  numRuns: 400,
                  seed: options.seed ?? 17,
                })
                .filter((bad) => !tryConfig(experiment, bad.overrides).refused)
                .slice(0, runs);
              const bad: string[] = [];
              for (const config of accepted) {
                const deadline = options.runDeadlineMs ?? 60_000;
                const t0 = performance.now();
                const out = await runExperiment(
                  { ...env, signal: AbortSignal.timeout(deadline) },
                  {
                    experiment: experiment.id,
                    preset: 'smoke',
                    overrides: config.overrides,
                    backend: 'wasm',
                  },
                );
                const ms = performance.now() - t0;
                if (isInternalError(out.header.error))
                  bad.push(`${config.description}: ${out.header.error!.name}: ${out.header.error!.message}`);
                if (ms > deadline + 1000)
                  bad.push(`${config.description}: took ${Math.round(ms)} ms (deadline ${deadline})`);
              }
              expect(
                bad,
                `${experiment.id}: accepted configs that crashed with an internal error or overran`,
              ).toEqual([]);
            },
            10 * 60_000,
          );
        }

        it('has an upper bound (or a cost guard) on every numeric field, except those listed to be bounded', () => {
          const fields = unboundedFields(experiment).map((f) => f.path.replace(/\.\[\]$/, '[]'));
          found[experiment.id] = fields;
          if (file && process.env.PAPERLAB_FUZZ_WRITE) {
            const all = { ...known, ...found };
            const sorted = Object.fromEntries(
              Object.keys(all)
                .sort()
                .filter((k) => (all[k]?.length ?? 0) > 0)
                .map((k) => [k, all[k]]),
            );
            writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
            return;
          }
          const listed = known[experiment.id] ?? [];
          expect(
            fields.filter((f) => !listed.includes(f)),
            'numeric fields that accept 1e9 / 2^31 / 2^53-1 / 1e308 / ∞: add a .max() (or a cost guard)',
          ).toEqual([]);
          expect(
            listed.filter((f) => !fields.includes(f)),
            `now bounded: remove from ${file}`,
          ).toEqual([]);
        });
      });
    }
  });
}
