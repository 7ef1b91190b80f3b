import type { PlotSpec, SeriesRow, VegaLiteSpec } from '../contracts/output.js';

/** Options shared by the plot helpers. */
export interface LinePlotOptions {
  id: string;
  title: string;
  series: string;
  x: string;
  y: string;
  /** Column that splits lines (colour). */
  color?: string;
  /** Column drawn as a dashed second layer (e.g. the theory line). */
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  /** Column giving the error-bar half-width around y. */
  errorBar?: string;
  /** Draw points on the lines. */
  points?: boolean;
}

/** Layout that keeps legends whole: the view grows to fit them, and their labels are never truncated. */
const READABLE = {
  autosize: { type: 'pad' },
  config: { legend: { labelLimit: 0, titleLimit: 0 } },
} as const;

function axis(field: string, title: string | undefined, log: boolean | undefined): Record<string, unknown> {
  return {
    field,
    type: 'quantitative',
    title: title ?? field,
    ...(log ? { scale: { type: 'log', nice: false } } : { scale: { zero: false } }),
  };
}

/** A line chart (optionally log-log, coloured by a column, with error bars). */
export function linePlot(o: LinePlotOptions): PlotSpec {
  const x = axis(o.x, o.xTitle, o.logX);
  const y = axis(o.y, o.yTitle, o.logY);
  const color = o.color ? { color: { field: o.color, type: 'nominal', title: o.color } } : {};
  // Series differ by dash and point shape as well as colour, so they read in grey print and for colour-blind eyes.
  const style = o.color
    ? {
        strokeDash: { field: o.color, type: 'nominal', title: o.color },
        shape: { field: o.color, type: 'nominal', title: o.color },
      }
    : {};
  const layers: VegaLiteSpec[] = [
    { mark: { type: 'line', point: o.points ?? true }, encoding: { x, y, ...color, ...style } },
  ];
  if (o.errorBar) {
    layers.push({
      transform: [
        { calculate: `datum['${o.y}'] - datum['${o.errorBar}']`, as: '__lo' },
        { calculate: `datum['${o.y}'] + datum['${o.errorBar}']`, as: '__hi' },
      ],
      // Clipped to the plot area: a wide bar on a log axis never spills over the axes or the legend.
      mark: { type: 'errorbar', ticks: true, clip: true },
      encoding: { x, y: { ...y, field: '__lo' }, y2: { field: '__hi' }, ...color },
    });
  }
  return {
    id: o.id,
    title: o.title,
    series: o.series,
    spec: { width: 420, height: 280, title: o.title, layer: layers, ...READABLE },
  };
}

/** A scatter plot. */
export function scatterPlot(o: Omit<LinePlotOptions, 'points' | 'errorBar'>): PlotSpec {
  return {
    id: o.id,
    title: o.title,
    series: o.series,
    spec: {
      width: 420,
      height: 280,
      title: o.title,
      mark: { type: 'point', filled: true },
      encoding: {
        x: axis(o.x, o.xTitle, o.logX),
        y: axis(o.y, o.yTitle, o.logY),
        ...(o.color
          ? { color: { field: o.color, type: 'nominal' }, shape: { field: o.color, type: 'nominal' } }
          : {}),
      },
      ...READABLE,
    },
  };
}

/** A heatmap over two ordinal columns. */
export function heatmapPlot(o: {
  id: string;
  title: string;
  series: string;
  x: string;
  y: string;
  value: string;
}): PlotSpec {
  return {
    id: o.id,
    title: o.title,
    series: o.series,
    spec: {
      width: 360,
      height: 280,
      title: o.title,
      mark: 'rect',
      encoding: {
        x: { field: o.x, type: 'ordinal' },
        y: { field: o.y, type: 'ordinal' },
        color: { field: o.value, type: 'quantitative' },
      },
    },
  };
}

/**
 * A grid of small greyscale images (e.g. a gallery of simulated inputs): one facet per image, one rect per pixel.
 * Rows of the series: `{ [image]: label, [row]: i, [col]: j, [value]: v }`; images are ordered by label.
 */
export function imageGridPlot(o: {
  id: string;
  title: string;
  series: string;
  /** Column naming the image (facet); default `image`. */
  image?: string;
  /** Pixel row, column and value columns; defaults `row`, `col`, `value`. */
  row?: string;
  col?: string;
  value?: string;
  /** Images per line of the grid (default 4). */
  columns?: number;
  /** Side of one image in the plot (default 96). */
  cell?: number;
}): PlotSpec {
  const cell = o.cell ?? 96;
  return {
    id: o.id,
    title: o.title,
    series: o.series,
    spec: {
      title: o.title,
      facet: { field: o.image ?? 'image', type: 'nominal', title: null },
      columns: o.columns ?? 4,
      spec: {
        width: cell,
        height: cell,
        mark: 'rect',
        encoding: {
          x: { field: o.col ?? 'col', type: 'ordinal', axis: null },
          y: { field: o.row ?? 'row', type: 'ordinal', axis: null },
          color: {
            field: o.value ?? 'value',
            type: 'quantitative',
            scale: { scheme: 'greys', reverse: true },
            legend: null,
          },
        },
      },
      resolve: { scale: { color: 'independent' } },
    },
  };
}

/** The full Vega-Lite spec of a plot with (copies of) its series rows inlined as data; vega tags the rows it gets. */
export function withData(plot: PlotSpec, rows: SeriesRow[]): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...plot.spec,
    data: { values: rows.map((r) => ({ ...r })) },
  };
}
