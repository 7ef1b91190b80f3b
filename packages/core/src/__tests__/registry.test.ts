import { describe, expect, it } from 'vitest';
import { definePlugin } from '../contracts/plugin.js';
import { createLab } from '../registry/lab.js';
import { DuplicateIdError, UnknownIdError } from '../util/errors.js';
import { stubExperiment } from './stubs.js';

const plugin = (name: string, pkg: string, ids: Array<`${string}/${string}`>, core = '^0.1.0') =>
  definePlugin({
    name,
    packageName: pkg,
    version: '1.0.0',
    core,
    description: 'd',
    setup: (ctx) => {
      for (const i of ids) ctx.experiment(stubExperiment(i));
    },
  });

describe('Lab registry', () => {
  it('registers per Lab instance (no global registry)', async () => {
    const a = await createLab({ plugins: [plugin('alpha', 'pkg-a', ['alpha/smith2020'])] });
    const b = await createLab({ plugins: [] });
    expect(a.listExperiments().map((e) => e.id)).toEqual(['alpha/smith2020']);
    expect(b.listExperiments()).toEqual([]);
    expect(a.originOf('alpha/smith2020')?.packageName).toBe('pkg-a');
  });

  it('a duplicate id is an error naming both plugins', async () => {
    const p1 = plugin('alpha', 'pkg-a', ['alpha/smith2020']);
    const p2 = plugin('alpha', 'pkg-b', []);
    await expect(createLab({ plugins: [p1, p2] })).rejects.toThrow(/pkg-a.*pkg-b/);
    const dup = definePlugin({
      ...p1,
      setup: (ctx) => {
        ctx.experiment(stubExperiment('alpha/smith2020'));
        ctx.experiment(stubExperiment('alpha/smith2020'));
      },
    });
    await expect(createLab({ plugins: [dup] })).rejects.toBeInstanceOf(DuplicateIdError);
  });

  it('an id outside the plugin namespace is refused', async () => {
    await expect(createLab({ plugins: [plugin('alpha', 'pkg-a', ['beta/jones2021'])] })).rejects.toThrow(
      /outside its namespace/,
    );
  });

  it('an unknown id lists the closest ids', async () => {
    const lab = await createLab({
      plugins: [plugin('alpha', 'pkg-a', ['alpha/smith2020', 'alpha/jones2021'])],
    });
    try {
      lab.experiment('alpha/smith2021');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UnknownIdError);
      expect((err as UnknownIdError).suggestions[0]).toBe('alpha/smith2020');
    }
  });

  it('warns about a plugin built for another core major', async () => {
    const lab = await createLab({ plugins: [plugin('old', 'pkg-old', [], '^2.0.0')] });
    expect(lab.listPlugins()[0]!.warning).toMatch(/built for @paperlab\/core \^2.0.0/);
  });
});
