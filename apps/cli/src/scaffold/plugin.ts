import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_VERSION } from '@paperlab/core';
import { UsageError } from '../spec.js';
import { checkPackageName, checkPluginName, impliedPluginName } from './names.js';
import { type NewPaperResult, newPaper } from './paper.js';
import {
  conformanceTest,
  type PluginTemplateInput,
  papersIndex,
  pluginChangeset,
  pluginIndex,
  pluginPackageJson,
  pluginReadme,
  pluginTestTsconfig,
  pluginTsconfig,
  pluginVitestConfig,
} from './pluginTemplates.js';

/** The root of the paperlab monorepo around `from` (pnpm-workspace.yaml beside packages/core = @paperlab/core). */
export function findMonorepo(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const core = join(dir, 'packages', 'core', 'package.json');
    if (existsSync(join(dir, 'pnpm-workspace.yaml')) && existsSync(core)) {
      try {
        if ((JSON.parse(readFileSync(core, 'utf8')) as { name?: string }).name === '@paperlab/core')
          return dir;
      } catch {
        // not ours
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Whether `dir` is a package folder of the monorepo at `root` (`<root>/packages/<name>`). */
function inPackages(root: string, dir: string): boolean {
  const rel = relative(join(root, 'packages'), dir);
  return rel !== '' && !rel.startsWith('..') && !rel.includes(sep);
}

/** `^<version>` of a package resolvable from one of `fromDirs`, else `fallback`. */
function installedRange(name: string, fromDirs: readonly string[], fallback: string): string {
  for (const from of fromDirs) {
    try {
      const path = createRequire(join(from, 'noop.js')).resolve(`${name}/package.json`);
      const v = (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version;
      if (v) return `^${v}`;
    } catch {
      // try the next place
    }
  }
  return fallback;
}

/** Where core is installed (its package directory), so its own tfjs-core is the one a plugin peers on. */
function coreDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('@paperlab/core/package.json'));
  } catch {
    return undefined;
  }
}

/** The version ranges a standalone plugin declares: core's, and the tools installed beside this CLI. */
export function standaloneRanges(): PluginTemplateInput['ranges'] {
  const cli = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
  const core = coreDir();
  const dirs = [core, cli].filter((d): d is string => d !== undefined);
  return {
    core: `^${CORE_VERSION}`,
    tfjsCore: installedRange('@tensorflow/tfjs-core', dirs, '^4.22.0'),
    typescript: installedRange('typescript', dirs, '^5.9.0'),
    vitest: installedRange('vitest', dirs, '^4.1.0'),
    typesNode: '^20.19.0',
  };
}

/** What `paperlab new plugin` needs. */
export interface NewPluginOptions {
  name: string;
  /** Target directory; default `packages/plugin-<name>` of the monorepo around `cwd` (required outside it). */
  dir?: string | undefined;
  /** npm package name (default `@paperlab/plugin-<name>` in the monorepo, `paperlab-plugin-<name>` outside). */
  packageName?: string | undefined;
  description?: string | undefined;
  /** Slug of the starter paper. */
  paper: string;
  cwd: string;
}

/** What was created and changed. */
export interface NewPluginResult {
  dir: string;
  packageName: string;
  monorepo: boolean;
  created: string[];
  updated: string[];
  paper: NewPaperResult;
}

/** Adds `{ "path": "packages/plugin-<name>" }` to the root tsconfig.json references, after the other plugins. */
export function addReference(tsconfig: string, path: string): string | undefined {
  if (tsconfig.includes(`"${path}"`)) return undefined;
  const lines = tsconfig.split('\n');
  const refs = lines.map((l, i) => [l, i] as const).filter(([l]) => /\{\s*"path":\s*"packages\//.test(l));
  const last = refs.at(-1);
  if (!last) return undefined;
  const indent = /^\s*/.exec(last[0])![0];
  lines.splice(last[1] + 1, 0, `${indent}{ "path": "${path}" },`);
  if (!last[0].trimEnd().endsWith(',')) lines[last[1]] = `${last[0]},`;
  return lines.join('\n');
}

/** Adds the plugin to a package.json's devDependencies (the CLI's, so `pnpm paperlab list` finds it). */
export function addDevDependency(manifest: string, name: string, range: string): string | undefined {
  const pkg = JSON.parse(manifest) as { devDependencies?: Record<string, string> };
  if (pkg.devDependencies?.[name]) return undefined;
  const dev = { ...(pkg.devDependencies ?? {}), [name]: range };
  pkg.devDependencies = Object.fromEntries(
    Object.keys(dev)
      .sort()
      .map((k) => [k, dev[k]!]),
  );
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * Creates a publishable plugin package — package.json, tsconfigs, vitest config, README, `src/index.ts` with
 * `definePlugin`, `src/papers/index.ts`, a conformance test — and its starter paper (the paper scaffold). Inside
 * the monorepo it also adds a changeset, the tsconfig reference and the CLI's dev dependency on it.
 */
export async function newPlugin(o: NewPluginOptions): Promise<NewPluginResult> {
  checkPluginName(o.name);
  const root = findMonorepo(o.cwd);
  if (o.dir === undefined && !root)
    throw new UsageError(
      `Not inside the paperlab monorepo: say where to create the package, e.g. --dir ./paperlab-plugin-${o.name}.`,
      { command: 'new' },
    );
  const dir = o.dir === undefined ? join(root!, 'packages', `plugin-${o.name}`) : resolve(o.cwd, o.dir);
  const monorepo = root !== undefined && inPackages(root, dir);
  const packageName =
    o.packageName ?? (monorepo ? `@paperlab/plugin-${o.name}` : `paperlab-plugin-${o.name}`);
  checkPackageName(packageName);
  const implied = impliedPluginName(packageName);
  if (implied !== undefined && implied !== o.name)
    throw new UsageError(
      `The package ${packageName} names the plugin '${implied}', not '${o.name}' (the conformance suite checks they agree): use --package ${packageName.replace(/plugin-[a-z0-9-]+$/, `plugin-${o.name}`)}.`,
      { command: 'new' },
    );
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new UsageError(`${dir} exists and is not empty: choose another --dir, or remove it.`, {
      command: 'new',
    });
  const input: PluginTemplateInput = {
    name: o.name,
    packageName,
    description: o.description ?? `paperlab plugin — ${o.name} papers`,
    monorepo,
    ranges: standaloneRanges(),
  };
  await mkdir(join(dir, 'src', 'papers'), { recursive: true });
  const files: Array<[string, string]> = [
    ['package.json', pluginPackageJson(input)],
    ['tsconfig.json', pluginTsconfig(input)],
    ['tsconfig.test.json', pluginTestTsconfig(input)],
    ['vitest.config.ts', pluginVitestConfig(input)],
    ['README.md', pluginReadme(input)],
    ['src/index.ts', pluginIndex(input)],
    ['src/papers/index.ts', papersIndex()],
    ['src/conformance.test.ts', conformanceTest()],
  ];
  if (!monorepo) files.push(['.gitignore', 'node_modules\ndist\n.paperlab\n*.tgz\n']);
  for (const [path, text] of files) await writeFile(join(dir, path), text, { flag: 'wx' });
  const created = files.map(([p]) => join(dir, p));
  const updated: string[] = [];
  if (monorepo) {
    const changesets = join(root!, '.changeset');
    if (existsSync(changesets)) {
      const path = join(changesets, `new-plugin-${o.name}.md`);
      await writeFile(path, pluginChangeset(input), { flag: 'wx' });
      created.push(path);
    }
    const tsconfig = join(root!, 'tsconfig.json');
    if (existsSync(tsconfig)) {
      const next = addReference(await readFile(tsconfig, 'utf8'), `packages/plugin-${o.name}`);
      if (next !== undefined) {
        await writeFile(tsconfig, next);
        updated.push(tsconfig);
      }
    }
    const cli = join(root!, 'apps', 'cli', 'package.json');
    if (existsSync(cli)) {
      const next = addDevDependency(await readFile(cli, 'utf8'), packageName, 'workspace:^');
      if (next !== undefined) {
        await writeFile(cli, next);
        updated.push(cli);
      }
    }
  }
  const paper = await newPaper({ pluginDir: dir, plugin: o.name, slug: o.paper });
  return {
    dir,
    packageName,
    monorepo,
    created: [...created, ...paper.created],
    updated: [...updated, ...paper.updated.filter((p) => !created.includes(p))],
    paper,
  };
}
