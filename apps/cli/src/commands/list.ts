import { defineCommand } from '../spec.js';
import { textTable } from '../ui/format.js';

/** `paperlab list`: plugins and their experiments. */
export const listSpec = defineCommand({
  name: 'list',
  summary: 'installed plugins and their experiments',
  args: [],
  flags: [],
  examples: ['paperlab list', 'paperlab list --json'],
  async run(_input, { io, global: opts, lab: loadLab }) {
    const lab = await loadLab();
    const experiments = lab.listExperiments();
    if (opts.json) {
      io.json({
        plugins: lab.listPlugins(),
        experiments: experiments.map((e) => ({
          id: e.id,
          paper: e.paper,
          claims: e.claims.length,
          paperClaims: e.claims.filter((c) => (c.kind ?? 'paper') === 'paper').length,
          controls: e.claims.filter((c) => c.kind === 'control').length,
          presets: Object.keys(e.presets),
        })),
      });
      return 0;
    }
    const plugins = lab.listPlugins();
    if (plugins.length === 0) {
      io.out('No paperlab plugins found. Install one, e.g. npm i @paperlab/plugin-ntk');
      return 0;
    }
    io.out(
      textTable(
        ['plugin', 'version', 'experiments', 'description'],
        plugins.map((p) => [p.packageName, p.version, lab.listExperiments(p.name).length, p.description]),
        { priority: [10, 6, 7, 1] },
      ),
    );
    io.out('');
    if (experiments.length) {
      io.out(
        textTable(
          ['experiment', 'year', 'claims', 'paper'],
          experiments.map((e) => {
            const controls = e.claims.filter((c) => c.kind === 'control').length;
            const paper = e.claims.length - controls;
            return [e.id, e.paper.year, controls ? `${paper} · c ${controls}` : paper, e.paper.title];
          }),
          { priority: [10, 6, 7, 1] },
        ),
      );
    }
    return 0;
  },
});
