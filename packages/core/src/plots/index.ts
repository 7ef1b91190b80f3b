/** @paperlab/core/plots — Vega-Lite specs over a run's series, and their SVG rendering. */
export { renderPlotSvg, renderPlots } from './render.js';
export {
  heatmapPlot,
  imageGridPlot,
  type LinePlotOptions,
  linePlot,
  scatterPlot,
  withData,
} from './specs.js';
