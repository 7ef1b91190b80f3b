import { definePlugin } from '@paperlab/core';
import pkg from '../package.json' with { type: 'json' };
import { views16Kernel } from './kernels/views16.js';
import { papers } from './papers/index.js';

export { type ForestOptions, RandomForest } from './baselines/randomForest.js';
export {
  type ModelCell,
  type ModelCells,
  type ModelCellsSpec,
  runModelCells,
} from './experiments/modelCells.js';
export {
  ALERT_KINDS,
  type AlertKind,
  type AlertOptions,
  type AlertSet,
  synthesizeAlerts,
} from './images/alerts.js';
export { dihedral, dihedralBatches } from './images/dihedral.js';
export {
  ARC_FIELDS,
  BLOB_FIELDS,
  type GalaxyParams,
  type GalaxySampleOptions,
  type GalaxyTruth,
  renderGalaxies,
  sampleGalaxies,
  TIDAL_KINDS,
  type TidalKind,
} from './images/galaxy.js';
export { galaxyImages, surveyObserving } from './images/galaxyData.js';
export { galleryRows } from './images/gallery.js';
export { arcsinhStretch, convolvePsf, moffatKernel, type ObserveOptions, observe } from './images/observe.js';
export { symmetricResidualFeatures } from './images/residuals.js';
export { logGamma, sersicB, sersicIe } from './images/sersic.js';
export { type SynthesizeOptions, sliceGalaxies, synthesizeGalaxies } from './images/synthesize.js';
export {
  VIEWS,
  type Views16Attrs,
  type Views16Inputs,
  type ViewTaps,
  views16Kernel,
  viewTaps,
} from './kernels/views16.js';
export { completenessAtContamination, logitAccuracy, rocAuc } from './metrics/classification.js';
export {
  columnStats,
  errorCorrelations,
  intervalCoverage,
  meanPredictorRmse,
  r2PerOutput,
  rmse,
  standardize,
} from './metrics/regression.js';
export { type AdamTraining, fitAdam } from './nets/fitAdam.js';
export {
  choleskyGaussianNll,
  choleskyOutputs,
  type GaussianPrediction,
  unpackCholesky,
} from './nets/heteroscedastic.js';
export { ensemblePrediction, mcDropoutOutputs, mixtureMoments } from './nets/mcDropout.js';
export { MultiViewNet } from './nets/multiView.js';
export { predictHost } from './nets/predict.js';
export { convStages, type SmallCnnOptions, smallCnn } from './nets/smallCnn.js';
export {
  type PlanetSystem,
  SPECTRUM_PARAMS,
  SPECTRUM_PRIOR,
  samplePrior,
  TOY_OPACITY,
  transmissionSpectra,
  WASP12B,
  WFC3_BINS,
} from './spectra/transmission.js';
export { seedCache } from './util/seedCache.js';
export { splitAt, type TrainTest } from './util/trainTest.js';
export { GZ_ANSWERS, GZ_OUTPUTS, type VolunteerOptions, volunteerVotes } from './votes/galaxyZoo.js';

/** The astro plugin: simulated galaxies, alert triplets and transmission spectra, and the papers built on them. */
export default definePlugin({ name: 'astro', package: pkg, papers, kernels: [views16Kernel] });
