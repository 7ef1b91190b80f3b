import type { ExperimentOutput, PlotSpec, SeriesRow } from '../contracts/output.js';
import { withData } from './specs.js';

/** Renders one plot to SVG with vega + vega-lite (no canvas needed; works in Node and browsers). */
export async function renderPlotSvg(plot: PlotSpec, rows: SeriesRow[]): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(withData(plot, rows) as unknown as Parameters<typeof vl.compile>[0]);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders every plot of an output (id → SVG). A plot whose series is missing is an error. */
export async function renderPlots(output: ExperimentOutput): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const plot of output.plots ?? []) {
    const rows = output.series?.[plot.series];
    if (!rows)
      throw new Error(`Plot '${plot.id}' draws series '${plot.series}', which the output does not have`);
    out[plot.id] = await renderPlotSvg(plot, rows);
  }
  return out;
}
