import { KNOWN_DATASETS } from '@paperlab/core/data';
import {
  datasetLocations,
  fetchDataset,
  findPluginPackages,
  type NodeDataOptions,
  nodeDataSources,
} from '@paperlab/core/node';
import { CLI_ROOT, dataResolveDirs, type GlobalOptions, type Io } from '../context.js';
import { defineCommand, UsageError } from '../spec.js';
import { textTable } from '../ui/format.js';

/** `paperlab data [list]` and `paperlab data fetch <name>`: local datasets, and downloads. */
export const dataSpec = defineCommand({
  name: 'data',
  summary: 'datasets found locally and how to get the others; fetch downloads one',
  description:
    "'data' (or 'data list') shows where each known dataset was found, or where it looked and how to get it. " +
    "'data fetch <name>' downloads one into the cache, checking every file's SHA-256.",
  args: [
    { name: 'action', required: false, choices: ['list', 'fetch'], description: 'what to do (default list)' },
    { name: 'name', required: false, description: "dataset to fetch, e.g. mnist (with 'fetch')" },
  ],
  flags: [],
  examples: ['paperlab data', 'paperlab data fetch mnist', 'paperlab data --json'],
  async run({ args }, { io, global }) {
    if (args.action === 'fetch') {
      if (args.name === undefined)
        throw new UsageError(
          `'paperlab data fetch' needs a dataset name (one of: ${Object.keys(KNOWN_DATASETS).join(', ')}).`,
          { command: 'data', showUsage: true },
        );
      return dataFetch(io, global, args.name);
    }
    if (args.name !== undefined)
      throw new UsageError(`'paperlab data list' takes no dataset name (got '${args.name}').`, {
        command: 'data',
        showUsage: true,
      });
    return dataList(io, global);
  },
});

/** Lists what was found where, and how to get what is missing. */
async function dataList(io: Io, opts: GlobalOptions): Promise<number> {
  const plugins = await findPluginPackages([process.cwd(), CLI_ROOT]);
  const options: NodeDataOptions = { resolveFrom: dataResolveDirs(plugins.map((p) => p.packageName)) };
  const sources = nodeDataSources(options);
  const report = [];
  for (const ds of Object.values(KNOWN_DATASETS)) {
    let found: string | null = null;
    try {
      found = (await sources.open(ds.name)).origin;
    } catch {
      found = null;
    }
    report.push({
      name: ds.name,
      description: ds.description,
      license: ds.license,
      found,
      searched: datasetLocations(ds.name, options).map((l) => l.label),
      howToGet: ds.howToGet,
    });
  }
  if (opts.json) {
    io.json(report);
    return 0;
  }
  io.out(
    textTable(
      ['dataset', 'status', 'description'],
      report.map((r) => [r.name, r.found ? `found: ${r.found}` : 'missing', r.description]),
      { priority: [10, 8, 1] },
    ),
  );
  for (const r of report.filter((x) => !x.found)) {
    io.out('');
    io.out(`${r.name} is missing. Searched:`);
    for (const s of r.searched) io.out(`  - ${s}`);
    io.out('How to get it:');
    for (const h of r.howToGet) io.out(`  ${h}`);
  }
  return 0;
}

/** Downloads a dataset with SHA-256 checks into the cache dir. */
async function dataFetch(io: Io, opts: GlobalOptions, name: string): Promise<number> {
  const dir = await fetchDataset(name, {
    onFile: (f, n) => !opts.json && io.out(`  ${f} (${(n / 1e6).toFixed(1)} MB) ✓ sha256`),
  });
  if (opts.json) io.json({ dataset: name, dir });
  else io.out(`${name} saved to ${dir}`);
  return 0;
}
