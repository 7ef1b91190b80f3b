import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definePlugin, type PluginContext, publishedCoreRange } from '../contracts/plugin.js';
import type { AnyKernelSpec } from '../kernels/kernelSpec.js';
import { createLab } from '../registry/lab.js';
import { collectExperiments } from '../testing/conformance.js';
import { pluginPackageProblems, readPluginPackage } from '../testing/pluginPackage.js';
import { CORE_VERSION } from '../version.js';
import { stubExperiment } from './stubs.js';

const manifest = {
  name: '@acme/plugin-toy',
  version: '2.3.4',
  description: 'Toy papers',
  keywords: ['paperlab-plugin'],
  peerDependencies: { '@paperlab/core': 'workspace:^', '@tensorflow/tfjs-core': '4.22.0' },
};

const smith2020 = stubExperiment('toy/smith2020');
const jones2021 = stubExperiment('toy/jones2021');
const toyKernel: AnyKernelSpec = { name: 'toy/square', description: 'x²', reference: ({ x }) => x.square() };
describe('definePlugin', () => {
  it('takes name, version, description and core range from package.json (workspace:^ as published)', () => {
    const plugin = definePlugin({ name: 'toy', package: manifest, papers: [smith2020] });
    expect(plugin).toMatchObject({
      name: 'toy',
      packageName: '@acme/plugin-toy',
      version: '2.3.4',
      description: 'Toy papers',
      core: `^${CORE_VERSION}`,
    });
    expect(definePlugin({ name: 'toy', package: manifest, description: 'Other' }).description).toBe('Other');
  });

  it('maps the workspace protocol the way pnpm publishes it', () => {
    expect(publishedCoreRange('workspace:^')).toBe(`^${CORE_VERSION}`);
    expect(publishedCoreRange('workspace:~')).toBe(`~${CORE_VERSION}`);
    expect(publishedCoreRange('workspace:*')).toBe(CORE_VERSION);
    expect(publishedCoreRange('workspace:^0.1.0')).toBe('^0.1.0');
    expect(publishedCoreRange('^0.1.0')).toBe('^0.1.0');
  });

  it('a package.json without the core peer gives a plugin the Lab warns about', async () => {
    const { peerDependencies: _, ...bare } = manifest;
    const plugin = definePlugin({ name: 'toy', package: bare });
    expect(plugin.core).toBe('');
    const lab = await createLab({ plugins: [plugin] });
    expect(lab.listPlugins()[0]?.warning).toMatch(/peerDependency on @paperlab\/core/);
  });

  it('registers nothing until setup; then kernels, papers in order, then the extra setup', async () => {
    const calls: string[] = [];
    const plugin = definePlugin({
      name: 'toy',
      package: manifest,
      papers: [smith2020, jones2021],
      kernels: [toyKernel],
      setup: (ctx) => {
        calls.push('extra');
        ctx.experiment(stubExperiment('toy/extra2022'));
      },
    });
    expect(calls).toEqual([]);
    const ctx: PluginContext = {
      namespace: 'toy',
      experiment: (e) => calls.push(e.id),
      kernel: (k) => calls.push(`kernel:${k.name}`),
    };
    await plugin.setup(ctx);
    expect(calls).toEqual(['kernel:toy/square', 'toy/smith2020', 'toy/jones2021', 'extra', 'toy/extra2022']);
    const lab = await createLab({ plugins: [plugin] });
    expect(lab.listExperiments().map((e) => e.id)).toEqual([
      'toy/extra2022',
      'toy/jones2021',
      'toy/smith2020',
    ]);
    expect(lab.listPlugins()[0]).toMatchObject({ packageName: '@acme/plugin-toy', version: '2.3.4' });
    expect(lab.listPlugins()[0]?.warning).toBeUndefined();
  });
});

describe('plugin package checks (conformance)', () => {
  let dir: string;
  const write = (rel: string, text = 'x') => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  const paper = (slug: string) => {
    write(`src/papers/${slug}/README.md`);
    write(`src/papers/${slug}/${slug}.test.ts`);
    write(`src/papers/${slug}/experiment.ts`);
  };
  const check = (plugin = definePlugin({ name: 'toy', package: manifest, papers: [smith2020, jones2021] })) =>
    pluginPackageProblems(
      plugin,
      collectExperiments(plugin).map((e) => e.id),
      readPluginPackage(pathToFileURL(`${dir}/`)),
    );

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperlab-plugin-'));
    write('package.json', JSON.stringify(manifest));
    write('src/papers/index.ts');
    paper('smith2020');
    paper('jones2021');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a plugin whose folders, registrations and package.json agree', () => {
    expect(check()).toEqual({ manifest: [], papers: [] });
  });

  it('an empty shell (no papers, no folders) passes', () => {
    rmSync(join(dir, 'src/papers'), { recursive: true });
    expect(check(definePlugin({ name: 'toy', package: manifest }))).toEqual({ manifest: [], papers: [] });
  });

  it('fails on a paper folder that is not registered, naming the folder and the fix', () => {
    paper('brown2023');
    mkdirSync(join(dir, 'src/papers/_shared'));
    const { papers } = check();
    expect(papers).toHaveLength(1);
    expect(papers[0]).toMatch(/src\/papers\/brown2023\/ is not registered.*'toy\/brown2023'.*papers array/);
  });

  it('fails on a registered paper without folder, README or test', () => {
    rmSync(join(dir, 'src/papers/jones2021'), { recursive: true });
    rmSync(join(dir, 'src/papers/smith2020/README.md'));
    const { papers } = check(
      definePlugin({
        name: 'toy',
        package: manifest,
        papers: [smith2020, jones2021, stubExperiment('toy/lee2019')],
      }),
    );
    expect(papers).toEqual([
      expect.stringMatching(/src\/papers\/smith2020\/README\.md is missing/),
      expect.stringMatching(/'toy\/jones2021' has no folder src\/papers\/jones2021\//),
      expect.stringMatching(/'toy\/lee2019' has no folder/),
    ]);
    rmSync(join(dir, 'src/papers/smith2020/smith2020.test.ts'));
    expect(check().papers).toContainEqual(expect.stringMatching(/smith2020\.test\.ts is missing/));
  });

  it('fails when a hand-written identity disagrees with package.json', () => {
    const plugin = definePlugin({
      name: 'other',
      packageName: '@acme/plugin-toys',
      version: '2.3.3',
      core: '^9.0.0',
      description: 'd',
    });
    const { manifest: problems } = check(plugin);
    expect(problems).toEqual([
      expect.stringMatching(
        /packageName '@acme\/plugin-toys' differs from package.json name '@acme\/plugin-toy'/,
      ),
      expect.stringMatching(/version '2.3.3' differs from package.json version '2.3.4'/),
      expect.stringMatching(/name 'other' does not match package '@acme\/plugin-toy': name the plugin 'toy'/),
      expect.stringMatching(/core range '\^9.0.0' differs from package.json/),
    ]);
  });

  it('fails without the paperlab-plugin keyword or a peer dependency', () => {
    write(
      'package.json',
      JSON.stringify({
        ...manifest,
        keywords: ['paperlab'],
        peerDependencies: { '@paperlab/core': '^0.1.0' },
      }),
    );
    const plugin = definePlugin({
      name: 'toy',
      package: { ...manifest, peerDependencies: { '@paperlab/core': '^0.1.0' } },
      papers: [smith2020, jones2021],
    });
    expect(check(plugin).manifest).toEqual([
      expect.stringMatching(/keywords lack 'paperlab-plugin'/),
      expect.stringMatching(/no peerDependency on @tensorflow\/tfjs-core/),
    ]);
  });

  it('names the directory when package.json is missing', () => {
    expect(() => readPluginPackage(join(dir, 'src'))).toThrow(
      /No package.json in .*src: pass the plugin's package directory/,
    );
  });
});
