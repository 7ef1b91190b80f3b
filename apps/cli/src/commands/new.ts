import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkPluginName } from '../scaffold/names.js';
import { newPaper } from '../scaffold/paper.js';
import { findMonorepo, newPlugin } from '../scaffold/plugin.js';
import { defineCommand, UsageError } from '../spec.js';

/** Formats files with the monorepo's Biome, so scaffolds pass `pnpm run lint` as written; skipped if absent. */
function format(root: string | undefined, files: readonly string[]): void {
  const biome = root ? join(root, 'node_modules', '.bin', 'biome') : undefined;
  if (!biome || !existsSync(biome)) return;
  const code = files.filter((f) => /\.(ts|json)$/.test(f));
  try {
    execFileSync(biome, ['check', '--write', ...code], { cwd: root, stdio: 'ignore' });
  } catch {
    // Formatting is a courtesy: the files are valid as written.
  }
}

/** Whether `dir` holds a package with the `paperlab-plugin` keyword. */
function isPluginPackage(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { keywords?: unknown };
    return Array.isArray(pkg.keywords) && pkg.keywords.includes('paperlab-plugin');
  } catch {
    return false;
  }
}

/** `paperlab new paper <plugin>/<slug>` and `paperlab new plugin <name>`: scaffolds for contributors. */
export const newSpec = defineCommand({
  name: 'new',
  summary: 'scaffold a paper in a plugin, or a new plugin package',
  description:
    "'new paper <plugin>/<slug>' creates src/papers/<slug>/ (experiment.ts on the kit, README.md, <slug>.test.ts) " +
    'in the plugin package and adds it to the papers array of src/papers/index.ts; the paper runs, passes its test ' +
    'and the conformance suite at once, with TODOs (listed by its test) where the paper goes. The slug is the ' +
    "first author's surname and the year (jacot2018). 'new plugin <name>' creates a publishable package — in " +
    'this monorepo packages/plugin-<name> (with a changeset), elsewhere in --dir — with a starter paper.',
  args: [
    { name: 'kind', required: true, choices: ['paper', 'plugin'], description: 'what to create' },
    {
      name: 'target',
      required: true,
      description: 'paper: <plugin>/<slug> (e.g. gnn/kipf2017); plugin: its name (e.g. gnn)',
    },
  ],
  flags: [
    {
      name: 'dir',
      type: 'string',
      value: 'path',
      description:
        'paper: the plugin package (default packages/plugin-<plugin> in this monorepo, or . if it is one); plugin: where to create it (required outside this monorepo)',
    },
    {
      name: 'package',
      type: 'string',
      value: 'name',
      description:
        'plugin: npm package name (default paperlab-plugin-<name>; @paperlab/plugin-<name> in this monorepo)',
      examples: ['@acme/plugin-gnn'],
    },
    {
      name: 'description',
      type: 'string',
      value: 'text',
      description: 'plugin: one line saying what it holds',
    },
    {
      name: 'paper',
      type: 'string',
      value: 'slug',
      description: 'plugin: the starter paper’s slug (default example<this year>)',
      examples: ['kipf2017'],
    },
    { name: 'title', type: 'string', value: 'text', description: 'paper: the paper’s title (else a TODO)' },
    { name: 'authors', type: 'string', value: 'text', description: 'paper: its authors (else a TODO)' },
    {
      name: 'url',
      type: 'string',
      value: 'url',
      description: 'paper: its link, e.g. the arXiv page (else a TODO)',
    },
  ],
  examples: [
    'paperlab new paper gnn/kipf2017 --title "Semi-Supervised Classification with Graph Convolutional Networks"',
    'paperlab new paper mine/smith2020 --dir ../paperlab-plugin-mine',
    'paperlab new plugin gnn',
    'paperlab new plugin mine --dir ./paperlab-plugin-mine --paper smith2020',
  ],
  async run({ args, flags }, { io, global }) {
    const cwd = process.cwd();
    const only = (kind: string, names: ReadonlyArray<keyof typeof flags>) => {
      for (const n of names)
        if (flags[n] !== undefined)
          throw new UsageError(`'--${n}' is an option of 'paperlab new ${kind}'.`, {
            command: 'new',
            showUsage: true,
          });
    };
    // A path as a command argument: './x' rather than 'x', which npm would take for a package name.
    const show = (p: string) => {
      const rel = relative(cwd, p) || '.';
      return rel.startsWith('.') || rel.startsWith('/') ? rel : `./${rel}`;
    };
    if (args.kind === 'paper') {
      only('plugin', ['package', 'description', 'paper']);
      const [plugin, slug, ...rest] = args.target.split('/');
      if (!plugin || !slug || rest.length)
        throw new UsageError(`'${args.target}' is not <plugin>/<slug> (e.g. gnn/kipf2017).`, {
          command: 'new',
          showUsage: true,
        });
      checkPluginName(plugin);
      const root = findMonorepo(cwd);
      let pluginDir: string;
      if (flags.dir !== undefined) pluginDir = resolve(cwd, flags.dir);
      else if (root) {
        pluginDir = join(root, 'packages', `plugin-${plugin}`);
        if (!existsSync(pluginDir))
          throw new UsageError(
            `There is no packages/plugin-${plugin} in ${root}: create the plugin first (paperlab new plugin ${plugin}), or give its package with --dir.`,
            { command: 'new' },
          );
      } else if (isPluginPackage(cwd)) pluginDir = cwd;
      else
        throw new UsageError(
          'Not inside the paperlab monorepo or a plugin package: give the plugin package with --dir <path>.',
          { command: 'new' },
        );
      const result = await newPaper({
        pluginDir,
        plugin,
        slug,
        title: flags.title,
        authors: flags.authors,
        url: flags.url,
      });
      format(findMonorepo(pluginDir), [...result.created, ...result.updated]);
      if (global.json) io.json(result);
      else {
        io.out(`Created ${result.id} in ${show(result.dir)}:`);
        for (const f of result.created) io.out(`  + ${show(f)}`);
        for (const f of result.updated) io.out(`  ~ ${show(f)}`);
        io.out('');
        io.out('Next: fill in the TODOs (the paper test lists those left in the code), replace the stand-in');
        io.out('science in experiment.ts, and fix each claim’s rule before the first paper-preset run.');
        io.out(`  paperlab run ${result.id} --preset smoke`);
      }
      return 0;
    }
    only('paper', ['title', 'authors', 'url']);
    const result = await newPlugin({
      name: args.target,
      dir: flags.dir,
      packageName: flags.package,
      description: flags.description,
      paper: flags.paper ?? `example${new Date().getFullYear()}`,
      cwd,
    });
    format(result.monorepo ? findMonorepo(result.dir) : undefined, [...result.created, ...result.updated]);
    if (global.json) io.json(result);
    else {
      io.out(
        `Created ${result.packageName} in ${show(result.dir)}, with the starter paper ${result.paper.id}:`,
      );
      for (const f of result.created) io.out(`  + ${show(f)}`);
      for (const f of result.updated) io.out(`  ~ ${show(f)}`);
      io.out('');
      io.out('Next:');
      if (result.monorepo)
        io.out(
          `  pnpm install && pnpm --filter ${result.packageName} test   # then pnpm run compile; pnpm paperlab list`,
        );
      else {
        io.out(`  cd ${show(result.dir)} && npm install && npm run build && npm test`);
        io.out(
          `  npm install -g ${show(result.dir)}   # or in a project: npm install <path>; then paperlab list`,
        );
      }
      io.out(
        `  paperlab new paper ${args.target}/<surname><year>${result.monorepo ? '' : ` --dir ${show(result.dir)}`}`,
      );
    }
    return 0;
  },
});
