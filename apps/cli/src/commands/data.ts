import { KNOWN_DATASETS } from '@paperlab/core/data';
import { datasetLocations, fetchDataset, nodeDataSources } from '@paperlab/core/node';
import type { GlobalOptions, Io } from '../context.js';
import { textTable } from '../ui/format.js';

/** `paperlab data [list]`: what was found where, and how to get what is missing. */
export async function dataListCommand(io: Io, opts: GlobalOptions): Promise<number> {
  const sources = nodeDataSources();
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
      searched: datasetLocations(ds.name).map((l) => l.label),
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
      80,
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

/** `paperlab data fetch <name>`: downloads with SHA-256 checks into the cache dir. */
export async function dataFetchCommand(io: Io, opts: GlobalOptions, name: string): Promise<number> {
  const dir = await fetchDataset(name, {
    onFile: (f, n) => !opts.json && io.out(`  ${f} (${(n / 1e6).toFixed(1)} MB) ✓ sha256`),
  });
  if (opts.json) io.json({ dataset: name, dir });
  else io.out(`${name} saved to ${dir}`);
  return 0;
}
