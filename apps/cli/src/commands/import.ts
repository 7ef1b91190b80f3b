import { readFile } from 'node:fs/promises';
import { importRun, readBundle } from '@paperlab/core/runs';
import { openStore } from '../context.js';
import { EXIT } from '../exit.js';
import { defineCommand } from '../spec.js';

/** `paperlab import <file>`: a bundle exported by the CLI or the web app. */
export const importSpec = defineCommand({
  name: 'import',
  summary: 'import a run bundle exported by the CLI or the web app',
  args: [{ name: 'file', required: true, description: 'a .paperlab.json bundle' }],
  flags: [],
  examples: ['paperlab import run.paperlab.json', 'paperlab import run.json --store other/runs --json'],
  async run({ args }, { io, global: opts }) {
    const file = args.file;
    const store = openStore(opts);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      io.err(`Cannot read ${file}: ${(err as Error).message}`);
      return EXIT.usage;
    }
    // Everything is validated before anything is written (ids, file paths, header, result, metrics).
    const bundle = readBundle(text);
    const existing = await store.readHeader(bundle.header.id).catch(() => undefined);
    if (existing) {
      // Importing over a run would append its metrics a second time.
      io.err(
        `Run ${bundle.header.id} is already in ${store.location}; nothing imported. ` +
          `Remove ${store.pathOf(bundle.header.id)} to import it again.`,
      );
      return EXIT.usage;
    }
    // Written into a staging directory, then renamed into place: all of the run, or nothing.
    const id = await importRun(store, bundle);
    if (opts.json) io.json({ run: id, dir: store.pathOf(id) });
    else io.out(`Imported run ${id} into ${store.pathOf(id)}`);
    return 0;
  },
});
