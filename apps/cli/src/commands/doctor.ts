import { scanStore } from '@paperlab/core/runs';
import { openStore } from '../context.js';
import { EXIT } from '../exit.js';
import { defineCommand } from '../spec.js';
import { style } from '../ui/format.js';

/** `paperlab doctor`: checks every record of the store; `--fix` moves corrupt ones aside. */
export const doctorSpec = defineCommand({
  name: 'doctor',
  summary: 'check the run store: corrupt records, crashed runs, torn metrics',
  description:
    'Reads every run record (run.json, result.json, metrics.jsonl, cached cells) and reports what cannot be ' +
    "read, with the file and what is wrong. With --fix, corrupt records are moved to the store's .quarantine/ " +
    'folder (never deleted), so every other command sees a clean store. Exit 1 while corrupt records remain.',
  args: [],
  flags: [
    {
      name: 'fix',
      type: 'boolean',
      description: 'move corrupt records to <store>/.quarantine/ (nothing is deleted)',
    },
  ],
  examples: ['paperlab doctor', 'paperlab doctor --fix', 'paperlab doctor --store other/runs --json'],
  async run({ flags }, { io, global: opts }) {
    const store = openStore(opts);
    const scan = await scanStore(store, { deep: true });
    const crashed = scan.runs.filter((r) => r.status === 'crashed').map((r) => r.id);
    const moved: Array<{ id: string; to: string }> = [];
    if (flags.fix) for (const c of scan.corrupt) moved.push({ id: c.id, to: await store.quarantine(c.id) });
    const remaining = scan.corrupt.length - moved.length;
    if (opts.json) {
      io.json({
        store: store.location,
        runs: scan.runs.length,
        corrupt: scan.corrupt.map(({ header: _h, ...c }) => c),
        crashed,
        notes: scan.notes,
        quarantined: moved,
      });
      return remaining > 0 ? EXIT.failed : EXIT.ok;
    }
    io.out(
      `${store.location}: ${scan.runs.length} readable run${scan.runs.length === 1 ? '' : 's'}, ` +
        `${scan.corrupt.length} corrupt, ${crashed.length} crashed.`,
    );
    for (const c of scan.corrupt) io.out(style(`corrupt  ${c.id}: ${c.file}: ${c.problem}`, 'red'));
    for (const id of crashed)
      io.out(style(`crashed  ${id}: its process is gone; 'paperlab resume ${id}' continues it`, 'yellow'));
    for (const n of scan.notes) io.out(style(`note     ${n}`, 'dim'));
    for (const m of moved) io.out(`moved    ${m.id} → ${m.to}`);
    if (remaining > 0)
      io.out(`Run 'paperlab doctor --fix' to move the corrupt records aside (nothing is deleted).`);
    else if (scan.corrupt.length === 0 && crashed.length === 0)
      io.out(style('All records are readable.', 'green'));
    return remaining > 0 ? EXIT.failed : EXIT.ok;
  },
});
