import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../main.js';
import { checkSlug, identifierOf } from '../scaffold/names.js';
import { addReadmeRow, newPaper, registerPaper } from '../scaffold/paper.js';
import { addDevDependency, addReference, newPlugin } from '../scaffold/plugin.js';
import { UsageError } from '../spec.js';
import { capture } from './capture.js';

// `paperlab new`: names, registration in the papers array, and the monorepo layout, on files in a temp dir.
// (The standalone plugin, built, installed and run by the CLI, is newPlugin.test.ts.)

describe('names', () => {
  it('a slug is <surname><year>, with a suffix only to tell two apart', () => {
    expect(checkSlug('jacot2018')).toBe(2018);
    expect(checkSlug('smith2020b')).toBe(2020);
    expect(checkSlug('smith2020-vit')).toBe(2020);
    for (const bad of ['Jacot2018', 'jacot', '2018jacot', 'jacot18', 'jacot_2018', 'jacot2018-', 'jacot3018'])
      expect(() => checkSlug(bad), bad).toThrow(UsageError);
    expect(() => checkSlug('jacot18')).toThrow(/surname in lowercase and the year, e\.g\. jacot2018/);
    expect(identifierOf('smith2020-vit')).toBe('smith2020Vit');
  });
});

describe('registerPaper', () => {
  it('fills an empty array, and keeps a sorted one sorted (imports too)', () => {
    const empty = '/** Every paper. */\nexport const papers = [] as const;\n';
    const one = registerPaper(empty, 'kipf2017');
    expect(one).toBe(
      "import { kipf2017 } from './kipf2017/experiment.js';\n\n/** Every paper. */\nexport const papers = [kipf2017] as const;\n",
    );
    const two = registerPaper(one, 'hamilton2017');
    expect(two).toContain('export const papers = [hamilton2017, kipf2017] as const;');
    expect(two.indexOf("from './hamilton2017/experiment.js'")).toBeLessThan(two.indexOf("from './kipf2017/"));
    const three = registerPaper(two, 'xu2019-gin');
    expect(three).toContain('[hamilton2017, kipf2017, xu2019Gin]');
    expect(three).toContain("import { xu2019Gin } from './xu2019-gin/experiment.js';");
  });

  it('appends to an unsorted array, breaks long arrays one entry a line, and refuses a duplicate', () => {
    const unsorted =
      "import { b2020 } from './b2020/experiment.js';\nimport { a2020 } from './a2020/experiment.js';\n\nexport const papers = [b2020, a2020] as const;\n";
    expect(registerPaper(unsorted, 'c2020')).toContain('[b2020, a2020, c2020]');
    const many = Array.from({ length: 12 }, (_, i) => `paper${2000 + i}`);
    const long = registerPaper(`export const papers = [${many.join(', ')}] as const;\n`, 'zed2024');
    expect(long).toContain('export const papers = [\n  paper2000,\n');
    expect(long).toContain('  zed2024,\n] as const;');
    expect(() => registerPaper(long, 'paper2003')).toThrow(/already lists paper2003/);
    expect(() => registerPaper('export default [];\n', 'x2020')).toThrow(
      /has no 'export const papers = \[ … \]'/,
    );
  });

  it('adds a row to the plugin README table, and edits the monorepo files once', () => {
    const readme = '# x\n\n| experiment | paper |\n| --- | --- |\n\n## Develop\n';
    const row = addReadmeRow(readme, {
      plugin: 'gnn',
      slug: 'kipf2017',
      title: 'GCN',
      authors: 'K',
      year: 2017,
      url: 'https://x',
    });
    expect(row).toContain('| --- | --- |\n| [gnn/kipf2017](src/papers/kipf2017/README.md) | GCN (2017) |\n');
    const ts =
      '{\n  "references": [\n    { "path": "packages/core" },\n    { "path": "packages/plugin-ntk" },\n    { "path": "apps/cli" }\n  ]\n}\n';
    const added = addReference(ts, 'packages/plugin-gnn')!;
    expect(added).toContain(
      '{ "path": "packages/plugin-ntk" },\n    { "path": "packages/plugin-gnn" },\n    { "path": "apps/cli" }',
    );
    expect(addReference(added, 'packages/plugin-gnn')).toBeUndefined();
    const pkg = addDevDependency(
      '{"devDependencies":{"vitest":"1","@paperlab/plugin-ntk":"workspace:^"}}',
      '@paperlab/plugin-gnn',
      'workspace:^',
    )!;
    expect(Object.keys(JSON.parse(pkg).devDependencies)).toEqual([
      '@paperlab/plugin-gnn',
      '@paperlab/plugin-ntk',
      'vitest',
    ]);
  });
});

describe('paperlab new (in a temp monorepo)', () => {
  let root: string;
  let cwd: ReturnType<typeof vi.spyOn>;

  beforeEach(async () => {
    // The markers findMonorepo looks for, and the files `new plugin` edits there.
    root = await mkdtemp(join(tmpdir(), 'paperlab-mono-'));
    await writeFile(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n  - apps/*\n');
    await mkdir(join(root, 'packages', 'core'), { recursive: true });
    await writeFile(join(root, 'packages', 'core', 'package.json'), '{ "name": "@paperlab/core" }\n');
    await mkdir(join(root, 'apps', 'cli'), { recursive: true });
    await writeFile(
      join(root, 'apps', 'cli', 'package.json'),
      '{ "name": "@paperlab/cli", "devDependencies": {} }\n',
    );
    await writeFile(
      join(root, 'tsconfig.json'),
      '{\n  "files": [],\n  "references": [\n    { "path": "packages/core" },\n    { "path": "apps/cli" }\n  ]\n}\n',
    );
    await mkdir(join(root, '.changeset'));
    cwd = vi.spyOn(process, 'cwd').mockReturnValue(join(root, 'apps', 'cli'));
  });
  afterEach(async () => {
    cwd.mockRestore();
    await rm(root, { recursive: true, force: true });
  });

  it('new plugin: packages/plugin-<name> in workspace style, a changeset, the tsconfig reference, a starter paper', async () => {
    const io = capture();
    const code = await main(
      ['new', 'plugin', 'gnn', '--paper', 'kipf2017', '--description', 'Graph learning'],
      io,
    );
    expect(code, io.stderr).toBe(0);
    const dir = join(root, 'packages', 'plugin-gnn');
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: '@paperlab/plugin-gnn',
      type: 'module',
      sideEffects: false,
      keywords: expect.arrayContaining(['paperlab-plugin']),
      peerDependencies: { '@paperlab/core': 'workspace:^', '@tensorflow/tfjs-core': 'catalog:' },
      devDependencies: { vitest: 'catalog:' },
    });
    expect(Object.keys(pkg.exports['.'])).toEqual(['@paperlab/source', 'types', 'default']);
    expect(await readFile(join(dir, 'src', 'index.ts'), 'utf8')).toContain(
      "definePlugin({ name: 'gnn', package: pkg, papers })",
    );
    expect(await readFile(join(dir, 'src', 'papers', 'index.ts'), 'utf8')).toContain('[kipf2017] as const');
    for (const f of ['experiment.ts', 'README.md', 'kipf2017.test.ts'])
      expect(existsSync(join(dir, 'src', 'papers', 'kipf2017', f)), f).toBe(true);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain(
      '| [gnn/kipf2017](src/papers/kipf2017/README.md) |',
    );
    expect(await readFile(join(root, '.changeset', 'new-plugin-gnn.md'), 'utf8')).toContain(
      '"@paperlab/plugin-gnn": minor',
    );
    expect(await readFile(join(root, 'tsconfig.json'), 'utf8')).toContain(
      '{ "path": "packages/plugin-gnn" }',
    );
    expect(
      JSON.parse(await readFile(join(root, 'apps', 'cli', 'package.json'), 'utf8')).devDependencies,
    ).toEqual({
      '@paperlab/plugin-gnn': 'workspace:^',
    });
    expect(await readFile(join(dir, 'tsconfig.json'), 'utf8')).toContain(
      '"extends": "../../tsconfig.base.json"',
    );

    // Again: the folder exists.
    const again = capture();
    expect(await main(['new', 'plugin', 'gnn'], again)).toBe(2);
    expect(again.stderr).toContain('exists and is not empty');
  });

  it('new paper: files on the kit, registered; the slug is checked, taken slugs and unknown plugins refused', async () => {
    expect(await main(['new', 'plugin', 'gnn', '--paper', 'kipf2017'], capture())).toBe(0);
    const io = capture();
    const code = await main(
      [
        'new',
        'paper',
        'gnn/hamilton2017',
        '--title',
        'Inductive Representation Learning on Large Graphs',
        '--url',
        'https://arxiv.org/abs/1706.02216',
        '--json',
      ],
      io,
    );
    expect(code, io.stderr).toBe(0);
    const dir = join(root, 'packages', 'plugin-gnn', 'src', 'papers', 'hamilton2017');
    const experiment = await readFile(join(dir, 'experiment.ts'), 'utf8');
    expect(experiment).toContain("id: 'gnn/hamilton2017'");
    expect(experiment).toContain("title: 'Inductive Representation Learning on Large Graphs'");
    expect(experiment).toContain('scalars: scalarKeys<Scalar>()');
    expect(experiment).toContain('const claim = claimsFor<Hamilton2017Config, Scalar>();');
    expect(experiment).toContain("kind: 'paper'");
    expect(experiment).toContain("kind: 'control'");
    expect(experiment).toContain('await runCells(ctx, {');
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    for (const section of [
      '## The paper',
      '## What is reproduced, and at what scale',
      '## Simulated or proxy data',
      '## Claims',
      '## Revisions',
      '## How to run',
      '## What would be needed for the rest',
    ])
      expect(readme).toContain(section);
    const test = await readFile(join(dir, 'hamilton2017.test.ts'), 'utf8');
    expect(test).toContain("expectClaimCanFail(hamilton2017, 'method-beats-baseline'");
    expect(test).toContain("await expectSmoke(env, 'gnn/hamilton2017'");
    expect(test).toContain('it.todo(');
    expect(
      await readFile(join(root, 'packages', 'plugin-gnn', 'src', 'papers', 'index.ts'), 'utf8'),
    ).toContain('export const papers = [hamilton2017, kipf2017] as const;');
    expect(io.docs[0]).toMatchObject({ id: 'gnn/hamilton2017' });

    const refused: Array<[string[], string]> = [
      [['gnn/hamilton2017'], 'is taken'],
      [['gnn/Hamilton17'], 'is not a paper slug'],
      [['vision/he2016'], 'create the plugin first (paperlab new plugin vision)'],
      [['kipf2017'], "'kipf2017' is not <plugin>/<slug>"],
      [['gnn/xu2019', '--package', 'x'], "'--package' is an option of 'paperlab new plugin'"],
    ];
    for (const [args, message] of refused) {
      const io = capture();
      expect(await main(['new', 'paper', ...args], io), args.join(' ')).toBe(2);
      expect(io.stderr).toContain(message);
    }
    // Nothing half-written by the refused requests.
    expect(existsSync(join(root, 'packages', 'plugin-gnn', 'src', 'papers', 'xu2019'))).toBe(false);
  });

  it('a --dir package of another plugin, or a package name naming another plugin, is refused', async () => {
    expect(await main(['new', 'plugin', 'gnn', '--paper', 'kipf2017'], capture())).toBe(0);
    await expect(
      newPaper({ pluginDir: join(root, 'packages', 'plugin-gnn'), plugin: 'ntk', slug: 'jacot2018' }),
    ).rejects.toThrow(/holds @paperlab\/plugin-gnn, the plugin 'gnn', not 'ntk'/);
    await expect(
      newPlugin({ name: 'vision', packageName: 'paperlab-plugin-images', paper: 'he2016', cwd: root }),
    ).rejects.toThrow(/names the plugin 'images', not 'vision'/);
    await expect(newPlugin({ name: 'Vision', paper: 'he2016', cwd: root })).rejects.toThrow(
      /is not a plugin name/,
    );
  });
});
