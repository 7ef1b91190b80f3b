import type { ClaimVerdict, Lab } from '@paperlab/core';
import { runExperiment } from '@paperlab/core';
import type { Io } from '../context.js';
import { duration, style, textTable } from '../ui/format.js';
import { EXIT, type RunOptions, runSession } from './run.js';

/** `paperlab reproduce <plugin>`: runs every experiment of a plugin and prints one claims table. */
export async function reproduceCommand(lab: Lab, io: Io, opts: RunOptions, plugin: string): Promise<number> {
  const experiments = lab.listExperiments(plugin);
  if (experiments.length === 0) {
    const known = lab.listPlugins().map((p) => p.name);
    io.err(`Plugin '${plugin}' has no experiments (installed plugins: ${known.join(', ') || 'none'}).`);
    return EXIT.usage;
  }
  const { progress, signal, env, request, dispose } = runSession(lab, io, opts);
  const rows: Array<{ experiment: string; run: string; status: string; ms: number; claims: ClaimVerdict[] }> =
    [];
  let code: number = EXIT.ok;
  const started = Date.now();
  try {
    for (const e of experiments) {
      if (signal.aborted) break;
      if (!opts.json) io.err(`▶ ${e.id} (${opts.preset ?? 'paper'})`);
      const outcome = await runExperiment(env, request(e.id));
      progress.clear();
      const h = outcome.header;
      rows.push({
        experiment: e.id,
        run: h.id,
        status: h.status,
        ms: h.durationMs ?? 0,
        claims: outcome.result?.claims ?? [],
      });
      if (h.status === 'interrupted') code = EXIT.interrupted;
      else if (h.status !== 'completed') {
        code = code === EXIT.ok || code === EXIT.notReproduced ? EXIT.failed : code;
        if (!opts.json) io.err(style(`  ${h.status}: ${h.error?.message ?? ''}`, 'red'));
      } else if (
        opts.strict &&
        outcome.result!.summary.reproduced < outcome.result!.summary.total &&
        code === EXIT.ok
      ) {
        code = EXIT.notReproduced;
      }
    }
  } finally {
    dispose();
  }
  if (opts.json) {
    io.json({ plugin, preset: opts.preset ?? 'paper', totalMs: Date.now() - started, experiments: rows });
    return code;
  }
  const table: Array<Array<string>> = [];
  for (const r of rows) {
    if (r.claims.length === 0) table.push([r.experiment, '-', r.status, '', '', duration(r.ms)]);
    for (const c of r.claims)
      table.push([r.experiment, c.id, c.verdict, c.measured, c.expected, duration(r.ms)]);
  }
  io.out(textTable(['experiment', 'claim', 'verdict', 'measured', 'expected', 'time'], table, 80));
  const all = rows.flatMap((r) => r.claims);
  io.out('');
  io.out(
    `${all.filter((c) => c.verdict === 'reproduced').length}/${all.length} claims reproduced across ${rows.length} experiments in ${duration(Date.now() - started)}.`,
  );
  return code;
}
