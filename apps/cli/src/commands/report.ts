import { basename, dirname, relative, resolve } from 'node:path';
import { writeFileAtomic } from '@paperlab/core/node';
import { htmlReport, markdownReport, resolveRunId } from '@paperlab/core/runs';
import { openStore } from '../context.js';
import { RUN_ARG } from '../session.js';
import { defineCommand } from '../spec.js';

/** `paperlab report <run>`: a Markdown or HTML report with the claims table and plots. */
export const reportSpec = defineCommand({
  name: 'report',
  summary: 'write a Markdown (or HTML) report with the claims table and SVG plots',
  args: [RUN_ARG],
  flags: [
    {
      name: 'format',
      type: 'string',
      value: 'md|html',
      choices: ['md', 'html'],
      default: 'md',
      description: 'report format',
    },
    {
      name: 'out',
      type: 'string',
      value: 'file',
      description: "where to write it (default report.<format> in the run's folder)",
    },
  ],
  examples: ['paperlab report latest', 'paperlab report <run> --format html --out report.html'],
  async run({ args, flags }, { io, global }) {
    const opts = { ...global, ...flags };
    const store = openStore(opts);
    const id = await resolveRunId(store, args.run);
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
    const format = opts.format;
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
  },
});
