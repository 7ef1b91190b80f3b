import type { AnyExperiment } from '../contracts/experiment.js';
import type { JsonValue } from '../contracts/state.js';
import { ConfigError } from '../util/errors.js';
import { formatZodIssues } from './zodIssues.js';

/** A plain JSON object. */
export type JsonObject = { [key: string]: JsonValue };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep-merges `over` onto `base`: objects merge key by key, everything else (arrays too) replaces. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

/** Parses one `--set` value: JSON when it parses (numbers, booleans, arrays, objects), else a string. */
export function parseValue(raw: string): JsonValue {
  const text = raw.trim();
  if (text === '') return '';
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    // Bare lists like 64,128,256 are common on command lines.
    if (/^[-\d.eE+]+(,[-\d.eE+]+)+$/.test(text)) return text.split(',').map(Number);
    return text;
  }
}

/** Turns `['a.b=3', 'c=[1,2]']` into `{ a: { b: 3 }, c: [1, 2] }`. */
export function parseOverrides(assignments: readonly string[]): JsonObject {
  let out: JsonObject = {};
  for (const item of assignments) {
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError('--set', [
        { path: item, expected: 'key=value (e.g. --set train.lr=0.01)', received: `'${item}'` },
      ]);
    }
    const path = item.slice(0, eq).trim().split('.');
    if (path.some((p) => !/^[A-Za-z_][\w-]*$/.test(p))) {
      throw new ConfigError('--set', [
        {
          path: item.slice(0, eq),
          expected: 'a dotted path of identifiers',
          received: `'${item.slice(0, eq)}'`,
        },
      ]);
    }
    let value: JsonValue = parseValue(item.slice(eq + 1));
    for (let i = path.length - 1; i >= 0; i--) value = { [path[i]!]: value };
    out = deepMerge(out, value);
  }
  return out;
}

/** Preset plus overrides, validated: what a run will use. */
export interface ResolvedConfig<C> {
  preset: string | null;
  overrides: JsonObject;
  config: C;
}

/** Merges a preset under overrides and validates against the experiment's schema. */
export function resolveConfig<C extends object>(
  experiment: AnyExperiment,
  options: { preset?: string | null; overrides?: JsonObject | readonly string[] } = {},
): ResolvedConfig<C> {
  const preset = options.preset ?? null;
  let base: unknown = {};
  if (preset !== null) {
    const presetValue = (experiment.presets as Record<string, unknown>)[preset];
    if (presetValue === undefined) {
      throw new ConfigError(experiment.id, [
        {
          path: '--preset',
          expected: `one of ${Object.keys(experiment.presets).join(', ')}`,
          received: `'${preset}'`,
        },
      ]);
    }
    base = presetValue;
  }
  const overrides = Array.isArray(options.overrides)
    ? parseOverrides(options.overrides)
    : ((options.overrides as JsonObject | undefined) ?? {});
  const merged = deepMerge(base, overrides);
  const parsed = experiment.config.safeParse(merged);
  if (!parsed.success) throw new ConfigError(experiment.id, formatZodIssues(parsed.error, experiment.config));
  return { preset, overrides, config: parsed.data as C };
}
