/**
 * The plugins this web app loads — the ONE place to list them. Adding a plugin is: add its package to
 * package.json's dependencies and its default export to this array. Everything else (lists, forms, runs,
 * tests) is driven by what the plugins register.
 */
import type { PaperlabPlugin } from '@paperlab/core';
import astro from '@paperlab/plugin-astro';
import compression from '@paperlab/plugin-compression';
import gnn from '@paperlab/plugin-gnn';
import ntk from '@paperlab/plugin-ntk';
import physics from '@paperlab/plugin-physics';
import quantum from '@paperlab/plugin-quantum';

/** Plugins loaded into the app's Lab, in display order. */
const plugins: PaperlabPlugin[] = [ntk, quantum, gnn, compression, astro, physics];

export default plugins;
