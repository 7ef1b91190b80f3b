import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkCoreRange, findPluginPackages } from '@paperlab/core/node/discovery';
import { HELP_TEXT } from './helpText.generated.js';
import type { Io } from './io.js';
import {
  type ListedPlugin,
  type Listing,
  MANIFEST_FILE,
  type PluginManifest,
  printListing,
} from './listing.js';
import { CLI_ROOT } from './paths.js';

// What bin.js answers before the command table (and with it @paperlab/core's runner and tfjs) loads: help
// texts from src/helpText.generated.ts and `list` from the plugins' manifests. Anything else, and any doubt
// (a missing or stale manifest, paperlab.config.json), goes to main().

const isHelpFlag = (w: string | undefined) => w === '--help' || w === '-h';

/** The help text `argv` asks for, when it is one of `--help`, `help`, `help <cmd>`, `<cmd> --help`. */
export function lightHelp(argv: readonly string[]): string | undefined {
  const { program, commands } = HELP_TEXT;
  const command = (name: string | undefined) =>
    name !== undefined && Object.hasOwn(commands, name) ? commands[name as keyof typeof commands] : undefined;
  if (argv.length === 1 && (isHelpFlag(argv[0]) || argv[0] === 'help')) return program;
  if (argv.length === 2 && argv[0] === 'help') return command(argv[1]);
  if (argv.length === 2 && isHelpFlag(argv[1])) return command(argv[0]);
  return undefined;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * `paperlab list` from manifests: the same plugins loadInstalledPlugins finds (keyword scan from the working
 * directory and the CLI), each with a `paperlab.manifest.json` of its own name and version. Undefined when the
 * working directory names its plugins in paperlab.config.json or any plugin has no such manifest.
 */
export async function manifestListing(
  cwd = process.cwd(),
): Promise<{ listing: Listing; warnings: string[] } | undefined> {
  if (existsSync(join(cwd, 'paperlab.config.json'))) return undefined;
  const listing: Listing = { plugins: [], experiments: [] };
  const warnings: string[] = [];
  for (const found of await findPluginPackages([cwd, CLI_ROOT])) {
    const pkg = (await readJson(join(found.dir, 'package.json'))) as { version?: string } | undefined;
    const m = (await readJson(join(found.dir, MANIFEST_FILE))) as PluginManifest | undefined;
    if (
      m?.format !== 'paperlab.manifest/1' ||
      m.plugin?.packageName !== found.packageName ||
      m.plugin.version !== pkg?.version ||
      !Array.isArray(m.experiments)
    )
      return undefined;
    const warning = checkCoreRange(m.core);
    const plugin: ListedPlugin = { ...m.plugin };
    if (warning) {
      plugin.warning = `${found.packageName}@${m.plugin.version}: ${warning}`;
      warnings.push(plugin.warning);
    }
    listing.plugins.push(plugin);
    listing.experiments.push(...m.experiments);
  }
  listing.experiments.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { listing, warnings };
}

/** Answers `argv` without loading the command table when it can; resolves to whether it did. */
export async function lightStart(argv: readonly string[], io: Io): Promise<boolean> {
  const help = lightHelp(argv);
  if (help !== undefined) {
    io.out(help);
    return true;
  }
  const json = argv.length === 2 && argv.includes('--json');
  if (argv[0] !== 'list' || !(argv.length === 1 || json)) return false;
  const found = await manifestListing();
  if (!found) return false;
  for (const w of found.warnings) io.err(`warning: ${w}`);
  printListing(found.listing, io, json);
  return true;
}
