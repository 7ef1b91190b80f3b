import { z } from '@paperlab/core';
import { type JsonObject, parseOverrides } from '@paperlab/core/runs';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../lib/protocol.js';
import {
  applyEdit,
  constraintText,
  deleteIn,
  type Field,
  fieldsOf,
  issueMatches,
  parseNumber,
  parseNumberList,
  setIn,
  toSetFlags,
} from '../lib/schemaForm.js';

const config = z.strictObject({
  widths: z.array(z.number().int().min(4)).min(2).default([64, 128]).describe('hidden widths'),
  lr: z.number().positive().max(10).default(0.1),
  depth: z.number().int().min(2).max(12).default(4),
  activation: z.enum(['relu', 'erf']).default('relu'),
  bias: z.boolean().default(true),
  name: z.string().default('x'),
  limit: z.number().nullable().default(null),
  optimizer: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('sgd') }),
      z.strictObject({ type: z.literal('adam'), beta: z.number().default(0.9) }),
    ])
    .default({ type: 'sgd' }),
  mc: z
    .strictObject({
      width: z.number().int().min(4).default(512),
      samples: z.number().int().min(8).default(64),
    })
    .default({ width: 512, samples: 64 }),
});
const schema = z.toJSONSchema(config, { io: 'input' }) as JsonSchema;

function byKey(fields: Field[]): Record<string, Field> {
  const out: Record<string, Field> = {};
  for (const f of fields) {
    out[f.key] = f;
    if (f.kind === 'object') Object.assign(out, byKey(f.fields));
  }
  return out;
}

describe('fieldsOf', () => {
  const f = byKey(fieldsOf(schema));

  it('maps each schema node to a widget', () => {
    expect(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.kind]))).toEqual({
      widths: 'numbers',
      lr: 'number',
      depth: 'number',
      activation: 'enum',
      bias: 'boolean',
      name: 'string',
      limit: 'number',
      optimizer: 'json',
      mc: 'object',
      'mc.width': 'number',
      'mc.samples': 'number',
    });
  });

  it('keeps bounds, integer-ness and descriptions; drops the ±MAX_SAFE_INTEGER zod adds to .int()', () => {
    expect(f.widths).toMatchObject({ integer: true, min: 4, minItems: 2, description: 'hidden widths' });
    expect((f.widths as { max?: number }).max).toBeUndefined();
    expect(f.lr).toMatchObject({ integer: false, min: 0, exclusiveMin: true, max: 10 });
    expect(f.depth).toMatchObject({ integer: true, min: 2, max: 12 });
    expect(f.limit).toMatchObject({ nullable: true });
    expect(f.activation).toMatchObject({ options: ['relu', 'erf'] });
    expect(f['mc.width']!.path).toEqual(['mc', 'width']);
    expect(constraintText(f.depth as never)).toBe('integer, 2–12');
    expect(constraintText(f.lr as never)).toBe('> 0, ≤ 10');
    expect(constraintText(f.widths as never)).toBe('integer, ≥ 4, ≥ 2 values');
  });
});

describe('parsing', () => {
  it('reads number lists with commas, spaces or brackets', () => {
    expect(parseNumberList('64, 128 256', true)).toEqual({ ok: true, value: [64, 128, 256] });
    expect(parseNumberList('[1,2]', true)).toEqual({ ok: true, value: [1, 2] });
    expect(parseNumberList('1, x', true)).toEqual({ ok: false, error: "'x' is not a number" });
    expect(parseNumberList('1.5', true)).toMatchObject({ ok: false });
    expect(parseNumberList('1.5', false)).toEqual({ ok: true, value: [1.5] });
  });
  it('reads numbers; empty is null only when nullable', () => {
    const field = { kind: 'number', integer: true, nullable: false } as never;
    expect(parseNumber('12', field)).toEqual({ ok: true, value: 12 });
    expect(parseNumber('', field)).toMatchObject({ ok: false });
    expect(parseNumber('', { ...(field as object), nullable: true } as never)).toEqual({
      ok: true,
      value: null,
    });
  });
});

describe('overrides', () => {
  const base = config.parse({}) as unknown as JsonObject;

  it('records only what differs from the preset, pruning empty objects', () => {
    let o: JsonObject = {};
    o = applyEdit(o, base, ['mc', 'width'], 64);
    o = applyEdit(o, base, ['widths'], [8, 16]);
    expect(o).toEqual({ mc: { width: 64 }, widths: [8, 16] });
    o = applyEdit(o, base, ['mc', 'width'], 512);
    expect(o).toEqual({ widths: [8, 16] });
    o = applyEdit(o, base, ['widths'], undefined);
    expect(o).toEqual({});
  });

  it('setIn/deleteIn do not mutate', () => {
    const a = { x: { y: 1 } };
    const b = setIn(a, ['x', 'z'], 2);
    expect(a).toEqual({ x: { y: 1 } });
    expect(b).toEqual({ x: { y: 1, z: 2 } });
    expect(deleteIn(b, ['x', 'y'])).toEqual({ x: { z: 2 } });
  });

  it('gives --set flags that the CLI parses back to the same overrides', () => {
    const overrides: JsonObject = {
      widths: [8, 16],
      mc: { width: 64 },
      activation: 'erf',
      name: 'true',
      optimizer: { type: 'adam', beta: 0.5 },
    };
    const flags = toSetFlags(overrides);
    expect(flags).toContain("--set 'widths=[8,16]'");
    expect(flags).toContain("--set 'activation=erf'");
    // What a POSIX shell hands the CLI: the single-quoted word without its quotes.
    const args = flags.map((f) => f.replace(/^--set '(.*)'$/, '$1'));
    expect(parseOverrides(args)).toEqual(overrides);
  });

  it('matches core-formatted issue paths to fields', () => {
    expect(issueMatches('widths[1]', 'widths')).toBe(true);
    expect(issueMatches('mc.width', 'mc.width')).toBe(true);
    expect(issueMatches('mc.width', 'mc')).toBe(true);
    expect(issueMatches('mcx', 'mc')).toBe(false);
    expect(issueMatches('a, mc.samples', 'mc.samples')).toBe(true);
  });
});
