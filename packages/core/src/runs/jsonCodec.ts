/**
 * JSON that keeps every number exactly. Plain JSON writes NaN and ±Infinity as `null` and −0 as `0`, so a
 * resumed run would read back a plausible number where the uninterrupted run had NaN. Here such numbers are
 * written as `null` and listed, by path, under a top-level `"$nonFinite"` key; {@link parseExact} puts them
 * back. Values without such numbers are written as plain JSON, so files stay readable by any JSON reader and
 * old files (plain JSON) read as before.
 */

/** How a special number is named in `$nonFinite`. */
type Token = 'NaN' | 'Infinity' | '-Infinity' | '-0';

/** One special number: where it is (keys and indices from the top) and what it is. */
type Special = [path: Array<string | number>, token: Token];

const NON_FINITE = '$nonFinite';
const WRAPPED = '$exact';

function tokenOf(n: number): Token | undefined {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (n === 0 && 1 / n < 0) return '-0';
  return undefined;
}

const VALUE: Record<Token, number> = {
  NaN: Number.NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
  '-0': -0,
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** Copies `value` with special numbers replaced by `null`, collecting where they were. */
function strip(value: unknown, path: Array<string | number>, out: Special[]): unknown {
  if (typeof value === 'number') {
    const token = tokenOf(value);
    if (token === undefined) return value;
    out.push([[...path], token]);
    return null;
  }
  if (Array.isArray(value)) return value.map((v, i) => strip(v, [...path, i], out));
  if (isPlainObject(value)) {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function') continue;
      copy[k] = strip(v, [...path, k], out);
    }
    return copy;
  }
  return value;
}

/** JSON text of `value` in which NaN, ±Infinity and −0 survive a {@link parseExact} round trip. */
export function stringifyExact(value: unknown, space?: number): string {
  const specials: Special[] = [];
  const plain = strip(value, [], specials);
  const clash = isPlainObject(plain) && (NON_FINITE in plain || WRAPPED in plain);
  if (specials.length === 0 && !clash) return JSON.stringify(plain, null, space);
  if (isPlainObject(plain) && !clash)
    return JSON.stringify({ ...plain, [NON_FINITE]: specials }, null, space);
  return JSON.stringify({ [WRAPPED]: plain, [NON_FINITE]: specials }, null, space);
}

function isSpecialList(v: unknown): v is Special[] {
  return (
    Array.isArray(v) &&
    v.every(
      (s) =>
        Array.isArray(s) &&
        s.length === 2 &&
        Array.isArray(s[0]) &&
        (s[0] as unknown[]).every((p) => typeof p === 'string' || typeof p === 'number') &&
        typeof s[1] === 'string' &&
        Object.hasOwn(VALUE, s[1]),
    )
  );
}

/**
 * Puts the special numbers listed under `$nonFinite` back into a parsed value (and removes the list). A value
 * without the list is returned as it is. Throws when the list is malformed or names a path that is not there.
 */
export function restoreExact(parsed: unknown): unknown {
  if (!isPlainObject(parsed) || !(NON_FINITE in parsed)) return parsed;
  const specials = parsed[NON_FINITE];
  if (!isSpecialList(specials)) throw new Error(`malformed "${NON_FINITE}" list`);
  const { [NON_FINITE]: _list, ...rest } = parsed;
  let root: unknown = WRAPPED in rest ? rest[WRAPPED] : rest;
  for (const [path, token] of specials) {
    if (path.length === 0) {
      root = VALUE[token];
      continue;
    }
    let node: unknown = root;
    for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown> | null)?.[key];
    const last = path[path.length - 1]!;
    if (
      typeof node !== 'object' ||
      node === null ||
      (node as Record<string | number, unknown>)[last] !== null
    )
      throw new Error(`"${NON_FINITE}" names ${JSON.stringify(path)}, which holds no null placeholder`);
    (node as Record<string | number, unknown>)[last] = VALUE[token];
  }
  return root;
}

/** Parses text written by {@link stringifyExact} (or any plain JSON). */
export function parseExact(text: string): unknown {
  return restoreExact(JSON.parse(text));
}
