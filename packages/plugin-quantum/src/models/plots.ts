import type { PlotSpec, SeriesRow } from '@paperlab/core';
import { linePlot } from '@paperlab/core/plots';

/** The training-loss curves (series `curves`: epoch, loss, one line per model) the model comparisons plot. */
export function trainingLossPlot(id: string, title = 'Training loss (seed 0)'): PlotSpec {
  return linePlot({
    id,
    title,
    series: 'curves',
    x: 'epoch',
    y: 'loss',
    color: 'model',
    xTitle: 'epoch',
    yTitle: 'cross-entropy',
  });
}

/** A line per model (series rows carry `model`): `x` and `y` are `[field, axis title]`. */
export function byModelPlot(
  id: string,
  title: string,
  series: string,
  [x, xTitle]: readonly [string, string],
  [y, yTitle]: readonly [string, string],
): PlotSpec {
  return linePlot({ id, title, series, x, y, color: 'model', xTitle, yTitle });
}

/** An `onEpoch` hook that records seed 0's epoch rows as the training curve of `model` (for {@link trainingLossPlot}). */
export function seedZeroCurve(curves: SeriesRow[], seed: number, model: string): (row: SeriesRow) => void {
  return (row) => {
    if (seed === 0) curves.push({ ...row, model });
  };
}
