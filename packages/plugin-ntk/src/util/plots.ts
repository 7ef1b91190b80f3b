import type { PlotSpec } from '@paperlab/core';
import { type LinePlotOptions, linePlot } from '@paperlab/core/plots';

/** What a line plot draws: `[series, x column, y column, x title, y title]`. */
export type PlotAxes = readonly [series: string, x: string, y: string, xTitle?: string, yTitle?: string];

/** A line plot in a few lines of a paper: id, title, axes, and the rest of the options (colour, log axes, …). */
export function plot(
  id: string,
  title: string,
  [series, x, y, xTitle, yTitle]: PlotAxes,
  options: Omit<Partial<LinePlotOptions>, 'id' | 'title' | 'series' | 'x' | 'y'> = {},
): PlotSpec {
  return linePlot({
    id,
    title,
    series,
    x,
    y,
    ...(xTitle === undefined ? {} : { xTitle }),
    ...(yTitle === undefined ? {} : { yTitle }),
    ...options,
  });
}
