import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deepMerge, parseOverrides, parseValue, resolveConfig } from '../config/resolve.js';
import type { AnyExperiment } from '../contracts/experiment.js';
import { ConfigError } from '../util/errors.js';

const experiment = {
  id: 'test/cfg2024',
  config: z.strictObject({
    widths: z.array(z.number().int().positive()).default([8, 16]),
    lr: z.number().positive().max(1).default(0.1),
    act: z.enum(['relu', 'erf']).default('relu'),
    train: z
      .strictObject({ steps: z.number().int().default(10), batch: z.number().int().default(4) })
      .default({ steps: 10, batch: 4 }),
  }),
  presets: { smoke: { widths: [2], train: { steps: 1 } }, paper: {} },
} as unknown as AnyExperiment;

describe('config resolution', () => {
  it('parses --set values as JSON, bare lists, or strings', () => {
    expect(parseValue('3')).toBe(3);
    expect(parseValue('[1,2]')).toEqual([1, 2]);
    expect(parseValue('64,128')).toEqual([64, 128]);
    expect(parseValue('true')).toBe(true);
    expect(parseValue('relu')).toBe('relu');
    expect(parseOverrides(['train.steps=5', 'lr=0.5', 'train.batch=2'])).toEqual({
      train: { steps: 5, batch: 2 },
      lr: 0.5,
    });
  });

  it('deep-merges objects and replaces arrays', () => {
    expect(deepMerge({ a: { b: 1, c: 2 }, l: [1, 2, 3] }, { a: { c: 3 }, l: [9] })).toEqual({
      a: { b: 1, c: 3 },
      l: [9],
    });
  });

  it('merges preset under overrides and fills defaults', () => {
    const r = resolveConfig(experiment, { preset: 'smoke', overrides: ['train.batch=8'] });
    expect(r.config).toEqual({ widths: [2], lr: 0.1, act: 'relu', train: { steps: 1, batch: 8 } });
    expect(r.preset).toBe('smoke');
    expect(r.overrides).toEqual({ train: { batch: 8 } });
  });

  it('an unknown key is an error naming the path and the valid keys', () => {
    const err = (() => {
      try {
        resolveConfig(experiment, { overrides: ['train.stepz=1'] });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.issues[0]!.path).toBe('train.stepz');
    expect(err!.message).toContain('steps, batch');
  });

  it('a wrong type or range names the path and the expectation', () => {
    expect(() => resolveConfig(experiment, { overrides: ['widths=[1,"a"]'] })).toThrow(
      /widths\[1\]: expected number/,
    );
    expect(() => resolveConfig(experiment, { overrides: ['lr=2'] })).toThrow(/lr: expected number to be <=1/);
    expect(() => resolveConfig(experiment, { overrides: ['act=gelu'] })).toThrow(/act: expected one of/);
    expect(() => resolveConfig(experiment, { preset: 'nope' })).toThrow(
      /--preset: expected one of smoke, paper/,
    );
    expect(() => parseOverrides(['novalue'])).toThrow(/key=value/);
  });
});
