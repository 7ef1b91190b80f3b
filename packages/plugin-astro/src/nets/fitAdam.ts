import { type FitReport, fit, type TensorFitOptions } from '@paperlab/core/train';
import type { ImageExperimentConfig } from '../config/imageExperiment.js';

/** The training fields of an image paper's config: Adam step, epochs and batch size. */
export type AdamTraining = Pick<ImageExperimentConfig, 'lr' | 'epochs' | 'batchSize'>;

/**
 * Trains with Adam at the config's step for its epochs and batch size (`epochs` in `options` overrides it, e.g.
 * a pre-training stage).
 */
export function fitAdam(
  cfg: AdamTraining,
  options: Omit<TensorFitOptions, 'optimizer' | 'batchSize' | 'epochs'> & { epochs?: number },
): Promise<FitReport> {
  return fit({
    epochs: cfg.epochs,
    ...options,
    optimizer: { type: 'adam', lr: cfg.lr },
    batchSize: cfg.batchSize,
  });
}
