import type { AnyExperiment } from '../contracts/experiment.js';
import type { JsonValue } from '../contracts/state.js';
import { ConfigError } from '../util/errors.js';
import { formatZodIssues } from './zodIssues.js';

/** A plain JSON object. */
export type JsonObject = { [key: string]: JsonValue };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keys that would reach an object's prototype instead of naming a config field. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The dotted path of the first forbidden key (`__proto__`, `constructor`, `prototype`) in a JSON value. */
function forbiddenKeyIn(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = forbiddenKeyIn(v, `${path}[${i}]`);
      if (hit) return hit;
    }
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (FORBIDDEN_KEYS.has(k)) return here;
      const hit = forbiddenKeyIn(v, here);
      if (hit) return hit;
    }
  }
  return undefined;
}

function refuseForbiddenKeys(value: unknown, subject: string): void {
  const hit = forbiddenKeyIn(value, '');
  if (hit)
    throw new ConfigError(subject, [
      {
        path: hit,
        expected: 'a config key (__proto__, constructor and prototype are never config keys)',
        received: `'${hit.split('.').pop()}'`,
      },
    ]);
}

/** Deep-merges `over` onto `base`: objects merge key by key, everything else (arrays too) replaces. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    // Defined, never assigned: a `__proto__` key must not swap the result's prototype.
    const value = Object.hasOwn(out, k) ? deepMerge(out[k], v) : v;
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
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
    const forbidden = path.find((p) => FORBIDDEN_KEYS.has(p));
    if (forbidden) {
      throw new ConfigError('--set', [
        {
          path: item.slice(0, eq),
          expected: 'a config path (__proto__, constructor and prototype are never config keys)',
          received: `'${forbidden}'`,
        },
      ]);
    }
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
    refuseForbiddenKeys(value, `--set ${item.slice(0, eq)}`);
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
    // Own keys only: `toString`, `constructor` or `__proto__` must not find Object.prototype's members.
    const presets = experiment.presets as Record<string, unknown>;
    const presetValue = Object.hasOwn(presets, preset) ? presets[preset] : undefined;
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
  refuseForbiddenKeys(overrides, experiment.id);
  const merged = deepMerge(base, overrides);
  const parsed = experiment.config.safeParse(merged);
  if (!parsed.success) throw new ConfigError(experiment.id, formatZodIssues(parsed.error, experiment.config));
  return { preset, overrides, config: parsed.data as C };
}
