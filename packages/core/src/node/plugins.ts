import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PaperlabPlugin } from '../contracts/plugin.js';
import { PaperlabError } from '../util/errors.js';

/** The keyword that marks a package as a paperlab plugin. */
export const PLUGIN_KEYWORD = 'paperlab-plugin';

/** A plugin package found on disk. */
export interface FoundPlugin {
  packageName: string;
  dir: string;
}

function nodeModulesChain(start: string): string[] {
  const out: string[] = [];
  let dir = resolve(start);
  for (;;) {
    out.push(join(dir, 'node_modules'));
    const parent = dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Finds installed packages with the `paperlab-plugin` keyword in node_modules above each start directory. */
export async function findPluginPackages(startDirs: string[]): Promise<FoundPlugin[]> {
  const found = new Map<string, FoundPlugin>();
  for (const start of startDirs) {
    for (const nm of nodeModulesChain(start)) {
      let entries: string[];
      try {
        entries = await readdir(nm);
      } catch {
        continue;
      }
      const candidates: string[] = [];
      for (const e of entries) {
        if (e.startsWith('.')) continue;
        if (e.startsWith('@')) {
          try {
            for (const s of await readdir(join(nm, e))) candidates.push(`${e}/${s}`);
          } catch {
            // unreadable scope
          }
        } else candidates.push(e);
      }
      for (const name of candidates) {
        if (found.has(name)) continue;
        const pkg = await readJson(join(nm, name, 'package.json'));
        const keywords = pkg?.keywords;
        if (Array.isArray(keywords) && keywords.includes(PLUGIN_KEYWORD))
          found.set(name, { packageName: name, dir: join(nm, name) });
      }
    }
  }
  return [...found.values()].sort((a, b) => a.packageName.localeCompare(b.packageName));
}

function isPlugin(value: unknown): value is PaperlabPlugin {
  const p = value as Partial<PaperlabPlugin> | undefined;
  return !!p && typeof p.name === 'string' && typeof p.setup === 'function' && typeof p.version === 'string';
}

/** Imports a plugin package (or file) and checks it default-exports a plugin. */
export async function importPlugin(specifier: string, fromDir: string): Promise<PaperlabPlugin> {
  let url: string;
  if (specifier.startsWith('.') || specifier.startsWith('/'))
    url = pathToFileURL(resolve(fromDir, specifier)).href;
  else {
    try {
      url = pathToFileURL(createRequire(join(fromDir, 'noop.js')).resolve(specifier)).href;
    } catch (err) {
      throw new PaperlabError(
        'E_PLUGIN',
        `Plugin '${specifier}' could not be resolved from ${fromDir}: ${(err as Error).message.split('\n')[0]}`,
      );
    }
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (err) {
    throw new PaperlabError(
      'E_PLUGIN',
      `Plugin '${specifier}' failed to load: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (!isPlugin(mod.default)) {
    throw new PaperlabError(
      'E_PLUGIN',
      `Plugin '${specifier}' has no default export made with definePlugin({ name, version, setup })`,
    );
  }
  return mod.default;
}

/** Result of loading installed plugins. */
export interface InstalledPlugins {
  plugins: PaperlabPlugin[];
  /** Problems that did not stop loading (a broken plugin is skipped with a warning). */
  warnings: string[];
  /** Where the list came from. */
  source: string;
}

/**
 * Loads the plugins named in `paperlab.config.json` (if present in `cwd`), else every installed package
 * with the `paperlab-plugin` keyword found from `cwd` and the extra directories (e.g. the CLI's own).
 */
export async function loadInstalledPlugins(
  options: { cwd?: string; extraDirs?: string[] } = {},
): Promise<InstalledPlugins> {
  const cwd = options.cwd ?? process.cwd();
  const warnings: string[] = [];
  const config = await readJson(join(cwd, 'paperlab.config.json'));
  let specs: Array<{ spec: string; from: string }>;
  let source: string;
  if (config && Array.isArray(config.plugins)) {
    specs = (config.plugins as unknown[]).map((s) => ({ spec: String(s), from: cwd }));
    source = join(cwd, 'paperlab.config.json');
  } else {
    const found = await findPluginPackages([cwd, ...(options.extraDirs ?? [])]);
    specs = found.map((f) => ({ spec: f.dir, from: cwd }));
    source = 'installed packages with keyword paperlab-plugin';
  }
  const plugins: PaperlabPlugin[] = [];
  for (const { spec, from } of specs) {
    try {
      const pkgDir = spec.startsWith('/') ? spec : undefined;
      if (pkgDir) {
        const pkg = await readJson(join(pkgDir, 'package.json'));
        const name = String(pkg?.name ?? spec);
        plugins.push(
          await importPlugin(name, dirname(dirname(name.startsWith('@') ? dirname(pkgDir) : pkgDir))),
        );
      } else plugins.push(await importPlugin(spec, from));
    } catch (err) {
      warnings.push((err as Error).message);
    }
  }
  return { plugins, warnings, source };
}
