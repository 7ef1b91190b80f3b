import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { writeFileAtomic } from '@paperlab/core/node';
import {
  exportRun,
  formatNumber,
  htmlReport,
  importRun,
  markdownReport,
  parseBundle,
  resolveRunId,
} from '@paperlab/core/runs';
import { type GlobalOptions, type Io, openStore } from '../context.js';
import { duration, textTable } from '../ui/format.js';
import { printOutcome } from './run.js';

/** `paperlab runs`: the run history. */
export async function runsCommand(
  io: Io,
  opts: GlobalOptions & { experiment?: string | undefined },
): Promise<number> {
  const store = openStore(opts);
  const runs = (await store.list()).filter((r) => !opts.experiment || r.experiment === opts.experiment);
  if (opts.json) {
    io.json(runs);
    return 0;
  }
  if (runs.length === 0) {
    io.out(`No runs in ${store.location}.`);
    return 0;
  }
  const rows = [];
  for (const r of runs) {
    const result = await store.readResult(r.id);
    rows.push([
      r.id,
      r.experiment,
      r.status,
      r.preset ?? '-',
      r.seed,
      r.backend.name,
      r.durationMs !== undefined ? duration(r.durationMs) : '-',
      result ? `${result.summary.reproduced}/${result.summary.total}` : '-',
    ]);
  }
  io.out(textTable(['run', 'experiment', 'status', 'preset', 'seed', 'backend', 'time', 'claims'], rows));
  return 0;
}

/** `paperlab show <run>`. */
export async function showCommand(io: Io, opts: GlobalOptions, ref: string): Promise<number> {
  const store = openStore(opts);
  const id = await resolveRunId(store, ref);
  const header = await store.readHeader(id);
  const result = await store.readResult(id);
  if (opts.json) {
    io.json({ header, result: result ?? null });
    return 0;
  }
  printOutcome(io, header, result, store.pathOf(id));
  if (result) {
    io.out('');
    io.out(
      textTable(
        ['scalar', 'value'],
        Object.entries(result.scalars).map(([k, v]) => [k, formatNumber(v)]),
      ),
    );
  }
  return 0;
}

/** `paperlab report <run> [--format md|html] [--out file]`. */
export async function reportCommand(
  io: Io,
  opts: GlobalOptions & { format: string; out?: string | undefined },
  ref: string,
): Promise<number> {
  const store = openStore(opts);
  const id = await resolveRunId(store, ref);
  const header = await store.readHeader(id);
  const result = await store.readResult(id);
  // Render plots if the record has none yet (e.g. imported from the browser without SVGs).
  let plotFiles = await store.listFiles(id, 'plots');
  if (result?.plots?.length && plotFiles.length === 0) {
    const { renderPlots } = await import('@paperlab/core/plots');
    for (const [pid, svg] of Object.entries(await renderPlots(result)))
      await store.putFile(id, `plots/${pid}.svg`, svg);
    plotFiles = await store.listFiles(id, 'plots');
  }
  const format = opts.format === 'html' ? 'html' : 'md';
  const out = resolve(opts.out ?? store.pathOf(id, `report.${format}`));
  if (format === 'md') {
    const links: Record<string, string> = {};
    for (const p of plotFiles)
      links[basename(p, '.svg')] = relative(dirname(out), store.pathOf(id, p)).split('\\').join('/');
    await writeFileAtomic(out, markdownReport(header, result, links));
  } else {
    const svgs: Record<string, string> = {};
    for (const p of plotFiles)
      svgs[basename(p, '.svg')] = new TextDecoder().decode(await store.getFile(id, p));
    await writeFileAtomic(out, htmlReport(header, result, svgs));
  }
  if (opts.json) io.json({ report: out, plots: plotFiles.map((p) => store.pathOf(id, p)) });
  else {
    io.out(`Report: ${out}`);
    for (const p of plotFiles) io.out(`Plot: ${store.pathOf(id, p)}`);
  }
  return 0;
}

/** `paperlab export <run> [--out file]`: one JSON bundle the web app can import. */
export async function exportCommand(
  io: Io,
  opts: GlobalOptions & { out?: string | undefined },
  ref: string,
): Promise<number> {
  const store = openStore(opts);
  const id = await resolveRunId(store, ref);
  const bundle = await exportRun(store, id);
  const out = resolve(opts.out ?? `${id}.paperlab.json`);
  await writeFileAtomic(out, JSON.stringify(bundle));
  if (opts.json) io.json({ bundle: out, run: id });
  else io.out(`Exported ${id} → ${out}`);
  return 0;
}

/** `paperlab import <file>`: a bundle exported by the CLI or the web app. */
export async function importCommand(io: Io, opts: GlobalOptions, file: string): Promise<number> {
  const store = openStore(opts);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    io.err(`Cannot read ${file}: ${(err as Error).message}`);
    return 2;
  }
  const bundle = parseBundle(parsed);
  const existing = await store.readHeader(bundle.header.id).catch(() => undefined);
  if (existing) {
    // Importing over a run would append its metrics a second time.
    io.err(
      `Run ${bundle.header.id} is already in ${store.location}; nothing imported. ` +
        `Remove ${store.pathOf(bundle.header.id)} to import it again.`,
    );
    return 2;
  }
  const id = await importRun(store, bundle);
  if (opts.json) io.json({ run: id, dir: store.pathOf(id) });
  else io.out(`Imported run ${id} into ${store.pathOf(id)}`);
  return 0;
}

/** `paperlab compare <runA> <runB>`: scalars and verdicts side by side. */
export async function compareCommand(
  io: Io,
  opts: GlobalOptions,
  refA: string,
  refB: string,
): Promise<number> {
  const store = openStore(opts);
  const [a, b] = await Promise.all([resolveRunId(store, refA), resolveRunId(store, refB)]);
  const [ra, rb] = await Promise.all([store.readResult(a), store.readResult(b)]);
  const keys = [...new Set([...Object.keys(ra?.scalars ?? {}), ...Object.keys(rb?.scalars ?? {})])];
  const scalarRows = keys.map((k) => {
    const va = ra?.scalars[k];
    const vb = rb?.scalars[k];
    const delta = va !== undefined && vb !== undefined ? formatNumber(vb - va) : '';
    return [k, va === undefined ? '-' : formatNumber(va), vb === undefined ? '-' : formatNumber(vb), delta];
  });
  const claimIds = [
    ...new Set([...(ra?.claims ?? []).map((c) => c.id), ...(rb?.claims ?? []).map((c) => c.id)]),
  ];
  const claimRows = claimIds.map((id) => [
    id,
    ra?.claims.find((c) => c.id === id)?.verdict ?? '-',
    rb?.claims.find((c) => c.id === id)?.verdict ?? '-',
  ]);
  if (opts.json) {
    io.json({
      a,
      b,
      scalars: Object.fromEntries(keys.map((k) => [k, [ra?.scalars[k] ?? null, rb?.scalars[k] ?? null]])),
      claims: claimRows,
    });
    return 0;
  }
  io.out(textTable(['scalar', a, b, 'Δ'], scalarRows));
  io.out('');
  io.out(textTable(['claim', a, b], claimRows));
  return 0;
}
