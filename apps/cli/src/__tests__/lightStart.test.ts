import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PaperlabPlugin } from '@paperlab/core';
import { suiteTempDir } from '@paperlab/core/testing';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../context.js';
import { HELP_TEXT } from '../helpText.generated.js';
import { lightHelp, manifestListing } from '../lightStart.js';
import { listingOfLab, MANIFEST_FILE, pluginManifest } from '../listing.js';
import { helpTexts, main } from '../main.js';
import { capture } from './capture.js';
import { startCli } from './spawnCli.js';

// `--help`, `help <cmd>`, `<cmd> --help` and `list` are answered by bin.js without the command table, core's
// runner or tfjs: from src/helpText.generated.ts and each plugin's paperlab.manifest.json. These tests keep both
// in sync with what they stand for and check, in a real process, which modules those commands load.

const cliRoot = fileURLToPath(new URL('../..', import.meta.url));
const REGENERATE = 'out of date: run `pnpm run compile && pnpm --filter @paperlab/cli generate`';
const pluginNames = Object.keys(
  (JSON.parse(readFileSync(join(cliRoot, 'package.json'), 'utf8')) as { devDependencies: object })
    .devDependencies,
).filter((n) => n.startsWith('@paperlab/plugin-'));

describe('light start-up: help and list without the command table or tfjs', () => {
  const tmp = suiteTempDir('paperlab-light-');

  it('src/helpText.generated.ts holds the help the command table generates', () => {
    expect(HELP_TEXT, `src/helpText.generated.ts is ${REGENERATE}`).toEqual(helpTexts());
    expect(lightHelp(['--help'])).toBe(helpTexts().program);
    expect(lightHelp(['help', 'run'])).toBe(helpTexts().commands.run);
    expect(lightHelp(['compare', '-h'])).toBe(helpTexts().commands.compare);
    // Anything else is main()'s: unknown commands (did you mean), --json, extra words.
    for (const argv of [
      ['help', 'rnu'],
      ['help', '__proto__'],
      ['--help', '--json'],
      ['run', 'x', '--help'],
      [],
    ])
      expect(lightHelp(argv)).toBeUndefined();
  });

  it("each workspace plugin's paperlab.manifest.json lists what the plugin registers", async () => {
    const require = createRequire(join(cliRoot, 'package.json'));
    expect(pluginNames.length).toBeGreaterThan(0);
    for (const name of pluginNames) {
      const plugin = (await import(name)).default as PaperlabPlugin;
      const file = join(dirname(require.resolve(`${name}/package.json`)), MANIFEST_FILE);
      const committed = JSON.parse(await readFile(file, 'utf8'));
      expect(committed, `${file} is ${REGENERATE}`).toEqual(
        JSON.parse(JSON.stringify(await pluginManifest(plugin))),
      );
    }
  });

  it('the listing from manifests equals the one from loading every plugin', async () => {
    const light = await manifestListing();
    expect(light).toBeDefined();
    const full = listingOfLab(await loadLab(capture()));
    expect(light!.listing).toEqual(JSON.parse(JSON.stringify(full)));
    expect(light!.warnings).toEqual([]);
  });

  it('falls back to loading plugins for a stale or missing manifest, or paperlab.config.json', async () => {
    const project = join(tmp.path, 'project');
    const pkgDir = join(project, 'node_modules', 'paperlab-plugin-x');
    await mkdir(pkgDir, { recursive: true });
    const pkg = { name: 'paperlab-plugin-x', version: '1.2.0', keywords: ['paperlab-plugin'] };
    await writeFile(join(pkgDir, 'package.json'), JSON.stringify(pkg));
    const manifest = (version: string, core = '^0.1.0') => ({
      format: 'paperlab.manifest/1',
      plugin: { name: 'x', packageName: 'paperlab-plugin-x', version, description: 'X' },
      core,
      experiments: [
        { id: 'x/a2020', paper: { title: 'A', year: 2020 }, claims: 1, paperClaims: 1, controls: 0 },
      ],
    });
    const withX = async () =>
      (await manifestListing(project))?.listing.plugins.find((p) => p.packageName === 'paperlab-plugin-x');
    expect(await manifestListing(project)).toBeUndefined(); // no manifest
    await writeFile(join(pkgDir, MANIFEST_FILE), JSON.stringify(manifest('1.1.0')));
    expect(await manifestListing(project)).toBeUndefined(); // written for another version
    await writeFile(join(pkgDir, MANIFEST_FILE), JSON.stringify(manifest('1.2.0')));
    expect(await withX()).toEqual(manifest('1.2.0').plugin);
    // A plugin built for another core major gets the Lab's warning.
    await writeFile(join(pkgDir, MANIFEST_FILE), JSON.stringify(manifest('1.2.0', '^7.0.0')));
    expect((await withX())?.warning).toMatch(/^paperlab-plugin-x@1\.2\.0: /);
    expect((await manifestListing(project))!.warnings).toHaveLength(1);
    await writeFile(join(project, 'paperlab.config.json'), JSON.stringify({ plugins: [] }));
    expect(await manifestListing(project)).toBeUndefined();
  });

  it('a real `paperlab --help`, `help run`, `run --help`, `list` and `list --json` load no tfjs and no plugin, and print what main() prints', async () => {
    const hook = new URL('./fixtures/loadLog.mjs', import.meta.url).href;
    for (const argv of [['--help'], ['help', 'run'], ['run', '--help'], ['list'], ['list', '--json']]) {
      const log = join(tmp.path, `${argv.join('_')}.log`);
      const r = await startCli(argv, cliRoot, { NODE_OPTIONS: `--import ${hook}`, PAPERLAB_LOAD_LOG: log })
        .done;
      expect(r.code, r.stderr).toBe(0);
      const loaded = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
      expect(loaded.some((u) => u.endsWith('/bin.js'))).toBe(true);
      expect(loaded.filter((u) => /tfjs|\/plugin-|\/main\.js$|\/runs\/runner\.js$/.test(u))).toEqual([]);
      const io = capture();
      expect(await main(argv, io)).toBe(0);
      const expected = argv.includes('--json') ? `${JSON.stringify(io.docs[0], null, 2)}\n` : io.stdout;
      expect(r.stdout, argv.join(' ')).toBe(expected);
    }
    // The check itself sees tfjs where it loads: `info` needs the plugins.
    const log = join(tmp.path, 'info.log');
    const r = await startCli(['info', 'ntk/jacot2018'], cliRoot, {
      NODE_OPTIONS: `--import ${hook}`,
      PAPERLAB_LOAD_LOG: log,
    }).done;
    expect(r.code, r.stderr).toBe(0);
    expect((await readFile(log, 'utf8')).includes('tfjs-core')).toBe(true);
  });
});
