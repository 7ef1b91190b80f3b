import type { JsonValue } from '@paperlab/core';
import type { JsonObject } from '@paperlab/core/runs';
import type { JsonSchema } from './protocol.js';

/** What every form field has. */
interface FieldBase {
  /** Keys from the config root. */
  path: string[];
  /** Dotted path as core formats config issues (`mc.width`). */
  key: string;
  label: string;
  description?: string;
}

/** A number input. */
export interface NumberField extends FieldBase {
  kind: 'number';
  integer: boolean;
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** `null` is allowed (empty input). */
  nullable: boolean;
}

/** A list of numbers typed as `64, 128, 256`. */
export interface NumbersField extends FieldBase {
  kind: 'numbers';
  integer: boolean;
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  minItems?: number;
  maxItems?: number;
}

/** A select over fixed values. */
export interface EnumField extends FieldBase {
  kind: 'enum';
  options: Array<string | number | boolean | null>;
}

/** A checkbox. */
export interface BooleanField extends FieldBase {
  kind: 'boolean';
}

/** A text input. */
export interface StringField extends FieldBase {
  kind: 'string';
}

/** Anything the form has no widget for (unions, lists of objects…): edited as JSON. */
export interface JsonField extends FieldBase {
  kind: 'json';
}

/** A group of fields (a nested config object). */
export interface ObjectField extends FieldBase {
  kind: 'object';
  fields: Field[];
}

/** One widget of the generated config form. */
export type Field =
  | NumberField
  | NumbersField
  | EnumField
  | BooleanField
  | StringField
  | JsonField
  | ObjectField;

/** Formats a key path the way core's config errors name it (`a.b`, `widths[2]`). */
export function keyOf(path: readonly string[]): string {
  return path.length ? path.join('.') : '(root)';
}

/** Splits `type: ['number', 'null']` into the non-null type and whether null is allowed. */
function typesOf(s: JsonSchema): { type?: string; nullable: boolean; multi: boolean } {
  const list = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const nonNull = list.filter((t) => t !== 'null');
  return {
    ...(nonNull.length === 1 ? { type: nonNull[0] } : {}),
    nullable: list.includes('null'),
    multi: nonNull.length > 1,
  };
}

/** zod writes `.int()` with no bound as ±MAX_SAFE_INTEGER; that is no bound for a form. */
function bound(v: number | undefined): number | undefined {
  return v === undefined || Math.abs(v) >= Number.MAX_SAFE_INTEGER ? undefined : v;
}

function numberBounds(s: JsonSchema): Pick<NumberField, 'min' | 'max' | 'exclusiveMin' | 'exclusiveMax'> {
  const out: Pick<NumberField, 'min' | 'max' | 'exclusiveMin' | 'exclusiveMax'> = {};
  const min = bound(s.minimum ?? s.exclusiveMinimum);
  const max = bound(s.maximum ?? s.exclusiveMaximum);
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  if (s.minimum === undefined && min !== undefined) out.exclusiveMin = true;
  if (s.maximum === undefined && max !== undefined) out.exclusiveMax = true;
  return out;
}

/** Builds the form's fields from a config's input JSON Schema (nested objects become groups). */
export function fieldsOf(schema: JsonSchema, path: string[] = []): Field[] {
  const fields: Field[] = [];
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    fields.push(fieldOf(s, [...path, name]));
  }
  return fields;
}

function fieldOf(s: JsonSchema, path: string[]): Field {
  const base: FieldBase = {
    path,
    key: keyOf(path),
    label: path[path.length - 1] ?? '(root)',
    ...(s.description ? { description: s.description } : {}),
  };
  const { type, nullable, multi } = typesOf(s);
  if (s.enum && s.enum.length > 0) return { ...base, kind: 'enum', options: [...s.enum] };
  if (multi || s.anyOf || s.oneOf || s.const !== undefined) return { ...base, kind: 'json' };
  if (type === 'number' || type === 'integer')
    return { ...base, kind: 'number', integer: type === 'integer', nullable, ...numberBounds(s) };
  if (type === 'boolean' && !nullable) return { ...base, kind: 'boolean' };
  if (type === 'string' && !nullable) return { ...base, kind: 'string' };
  if (type === 'object' && s.properties && !nullable)
    return { ...base, kind: 'object', fields: fieldsOf(s, path) };
  if (type === 'array' && !nullable && s.items) {
    const item = typesOf(s.items);
    if ((item.type === 'number' || item.type === 'integer') && !item.nullable && !s.items.enum) {
      return {
        ...base,
        kind: 'numbers',
        integer: item.type === 'integer',
        ...numberBounds(s.items),
        ...(s.minItems !== undefined ? { minItems: s.minItems } : {}),
        ...(s.maxItems !== undefined ? { maxItems: s.maxItems } : {}),
      };
    }
  }
  return { ...base, kind: 'json' };
}

/** Human text of a number field's constraints, e.g. `integer, 2–12` or `> 0`. */
export function constraintText(f: NumberField | NumbersField): string {
  const parts: string[] = [];
  if (f.integer) parts.push('integer');
  if (f.min !== undefined && f.max !== undefined && !f.exclusiveMin && !f.exclusiveMax)
    parts.push(`${f.min}–${f.max}`);
  else {
    if (f.min !== undefined) parts.push(`${f.exclusiveMin ? '>' : '≥'} ${f.min}`);
    if (f.max !== undefined) parts.push(`${f.exclusiveMax ? '<' : '≤'} ${f.max}`);
  }
  if (f.kind === 'numbers') {
    if (f.minItems !== undefined && f.maxItems !== undefined)
      parts.push(`${f.minItems}–${f.maxItems} values`);
    else if (f.minItems !== undefined) parts.push(`≥ ${f.minItems} values`);
    else if (f.maxItems !== undefined) parts.push(`≤ ${f.maxItems} values`);
  }
  return parts.join(', ');
}

/** Result of parsing a field's text: a value, or a message for the user. */
export type Parsed = { ok: true; value: JsonValue } | { ok: false; error: string };

/** Parses `64, 128 256` into numbers (commas and/or spaces; brackets allowed). */
export function parseNumberList(text: string, integer: boolean): Parsed {
  const body = text
    .trim()
    .replace(/^\[|\]$/g, '')
    .trim();
  if (body === '') return { ok: true, value: [] };
  const out: number[] = [];
  for (const token of body.split(/[\s,;]+/).filter(Boolean)) {
    const n = Number(token);
    if (!Number.isFinite(n)) return { ok: false, error: `'${token}' is not a number` };
    if (integer && !Number.isInteger(n)) return { ok: false, error: `'${token}' is not an integer` };
    out.push(n);
  }
  return { ok: true, value: out };
}

/** Parses one number input (empty → `null` when allowed, else an error). */
export function parseNumber(text: string, f: NumberField): Parsed {
  const t = text.trim();
  if (t === '') return f.nullable ? { ok: true, value: null } : { ok: false, error: 'a number is required' };
  const n = Number(t);
  if (!Number.isFinite(n)) return { ok: false, error: `'${t}' is not a number` };
  if (f.integer && !Number.isInteger(n)) return { ok: false, error: `'${t}' is not an integer` };
  return { ok: true, value: n };
}

/** Parses a JSON field. */
export function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a key path, if any. */
export function getIn(value: unknown, path: readonly string[]): JsonValue | undefined {
  let cur: unknown = value;
  for (const k of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur as JsonValue | undefined;
}

/** A copy of `obj` with `value` at `path` (creating objects on the way). */
export function setIn(obj: JsonObject, path: readonly string[], value: JsonValue): JsonObject {
  if (path.length === 0) return isObject(value) ? value : obj;
  const [head, ...rest] = path as [string, ...string[]];
  const child = obj[head];
  return { ...obj, [head]: rest.length ? setIn(isObject(child) ? child : {}, rest, value) : value };
}

/** A copy of `obj` without `path`; objects left empty are removed too. */
export function deleteIn(obj: JsonObject, path: readonly string[]): JsonObject {
  if (path.length === 0) return {};
  const [head, ...rest] = path as [string, ...string[]];
  if (!(head in obj)) return obj;
  const out = { ...obj };
  if (rest.length === 0) delete out[head];
  else {
    const child = out[head];
    if (!isObject(child)) return obj;
    const next = deleteIn(child, rest);
    if (Object.keys(next).length === 0) delete out[head];
    else out[head] = next;
  }
  return out;
}

/** Structural equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Records an edit as an override: a value equal to the preset's is no override (removed), so a run's
 * `overrides` hold exactly what the user changed — as `--set` does in the CLI.
 */
export function applyEdit(
  overrides: JsonObject,
  base: JsonObject | null,
  path: readonly string[],
  value: JsonValue | undefined,
): JsonObject {
  if (value === undefined || (base && jsonEqual(getIn(base, path), value))) return deleteIn(overrides, path);
  return setIn(overrides, path, value);
}

function flagValue(v: JsonValue): string {
  if (typeof v === 'string') {
    let plain = true;
    try {
      JSON.parse(v);
      plain = false; // 'true', '12'… would be read back as JSON, not as this string
    } catch {
      // a bare word is read back as a string
    }
    if (plain) return v;
  }
  return JSON.stringify(v);
}

/** `--set` flags equivalent to some overrides (shown so a browser run can be repeated with the CLI). */
export function toSetFlags(overrides: JsonObject, prefix: string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(overrides)) {
    const path = [...prefix, k];
    if (isObject(v) && Object.keys(v).length > 0) out.push(...toSetFlags(v, path));
    else out.push(`--set '${path.join('.')}=${flagValue(v).replace(/'/g, "'\\''")}'`);
  }
  return out;
}

/** Does a config issue (core's formatted path) concern this field? */
export function issueMatches(issuePath: string, key: string): boolean {
  return issuePath.split(', ').some((p) => p === key || p.startsWith(`${key}[`) || p.startsWith(`${key}.`));
}
