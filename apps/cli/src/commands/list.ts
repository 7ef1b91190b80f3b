import { listingOfLab, printListing } from '../listing.js';
import { defineCommand } from '../spec.js';

/** `paperlab list`: plugins and their experiments (bin.js answers it from plugin manifests when it can). */
export const listSpec = defineCommand({
  name: 'list',
  summary: 'installed plugins and their experiments',
  args: [],
  flags: [],
  examples: ['paperlab list', 'paperlab list --json'],
  async run(_input, { io, global: opts, lab: loadLab }) {
    return printListing(listingOfLab(await loadLab()), io, opts.json);
  },
});
