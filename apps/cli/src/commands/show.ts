import { formatNumber, resolveRunId } from '@paperlab/core/runs';
import { openStore } from '../context.js';
import { printOutcome, RUN_ARG, resultJson } from '../session.js';
import { defineCommand } from '../spec.js';
import { textTable } from '../ui/format.js';

/** `paperlab show <run>`: a run's status, claims and scalars. */
export const showSpec = defineCommand({
  name: 'show',
  summary: "a run's claims and figures",
  args: [RUN_ARG],
  flags: [],
  examples: ['paperlab show latest', 'paperlab show <run> --json'],
  async run({ args }, { io, global: opts }) {
    const store = openStore(opts);
    const id = await resolveRunId(store, args.run);
    const header = await store.readHeader(id);
    const result = await store.readResult(id);
    if (opts.json) {
      io.json({ header, result: resultJson(result) });
      return 0;
    }
    printOutcome(io, header, result, store.pathOf(id));
    if (result) {
      io.out('');
      io.out(
        textTable(
          ['scalar', 'value'],
          Object.entries(result.scalars).map(([k, v]) => [k, formatNumber(v)]),
          { priority: [10, 9] },
        ),
      );
    }
    return 0;
  },
});
