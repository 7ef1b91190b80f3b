import type { AnyExperiment, Lab, PaperlabPlugin } from '@paperlab/core';
import type { Io } from './context.js';
import { textTable } from './ui/format.js';

// What `paperlab list` shows, from a loaded Lab or from the plugins' manifests (paperlab.manifest.json, written
// by `pnpm --filter @paperlab/cli generate`), so `list` can answer without loading plugins or tfjs. This module
// imports types only from core.

/** A plugin as `paperlab list` shows it (core's LoadedPlugin). */
export interface ListedPlugin {
  name: string;
  packageName: string;
  version: string;
  description: string;
  /** Set when the plugin was built for another major version of core. */
  warning?: string;
}

/** An experiment as `paperlab list --json` shows it. */
export interface ListedExperiment {
  id: string;
  paper: AnyExperiment['paper'];
  claims: number;
  paperClaims: number;
  controls: number;
  presets: string[];
}

/** Everything `paperlab list` prints: plugins in load order, experiments sorted by id. */
export interface Listing {
  plugins: ListedPlugin[];
  experiments: ListedExperiment[];
}

/** The file in a plugin package's root that lists its experiments for `paperlab list`. */
export const MANIFEST_FILE = 'paperlab.manifest.json';

/** A plugin's manifest: what `list` shows of it, and the core range its warning is checked against. */
export interface PluginManifest {
  format: 'paperlab.manifest/1';
  plugin: Omit<ListedPlugin, 'warning'>;
  /** The plugin's `@paperlab/core` range. */
  core: string;
  experiments: ListedExperiment[];
}

/** One experiment's row of `list --json`. */
export function listedExperiment(e: AnyExperiment): ListedExperiment {
  return {
    id: e.id,
    paper: e.paper,
    claims: e.claims.length,
    paperClaims: e.claims.filter((c) => (c.kind ?? 'paper') === 'paper').length,
    controls: e.claims.filter((c) => c.kind === 'control').length,
    presets: Object.keys(e.presets),
  };
}

/** The listing of a loaded Lab. */
export function listingOfLab(lab: Lab): Listing {
  return { plugins: lab.listPlugins(), experiments: lab.listExperiments().map(listedExperiment) };
}

/** The manifest of one plugin (loaded alone into a Lab); `pnpm --filter @paperlab/cli generate` writes it. */
export async function pluginManifest(plugin: PaperlabPlugin): Promise<PluginManifest> {
  const { createLab } = await import('@paperlab/core');
  const lab = await createLab({ plugins: [plugin] });
  const { warning: _, ...listed } = lab.listPlugins()[0]!;
  return {
    format: 'paperlab.manifest/1',
    plugin: listed,
    core: plugin.core,
    experiments: lab.listExperiments().map(listedExperiment),
  };
}

/** Prints the listing as `paperlab list` does (text tables, or the JSON document). */
export function printListing(listing: Listing, io: Io, json: boolean): number {
  const { plugins, experiments } = listing;
  if (json) {
    io.json({ plugins, experiments });
    return 0;
  }
  if (plugins.length === 0) {
    io.out('No paperlab plugins found. Install one, e.g. npm i @paperlab/plugin-ntk');
    return 0;
  }
  const count = (plugin: string) => experiments.filter((e) => e.id.startsWith(`${plugin}/`)).length;
  io.out(
    textTable(
      ['plugin', 'version', 'experiments', 'description'],
      plugins.map((p) => [p.packageName, p.version, count(p.name), p.description]),
      { priority: [10, 6, 7, 1] },
    ),
  );
  io.out('');
  if (experiments.length) {
    io.out(
      textTable(
        ['experiment', 'year', 'claims', 'paper'],
        experiments.map((e) => [
          e.id,
          e.paper.year,
          e.controls ? `${e.claims - e.controls} · c ${e.controls}` : e.claims - e.controls,
          e.paper.title,
        ]),
        { priority: [10, 6, 7, 1] },
      ),
    );
  }
  return 0;
}
