import type { PlotSpec } from '@paperlab/core';
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
