/** @paperlab/core/data — datasets: the contract, in-memory datasets, the IDX loader and the offline catalog. */
export type { Batch, BatchOptions, Dataset, DatasetMeta, Split } from '../contracts/dataset.js';
export { ArrayDataset, type ArrayDatasetOptions, type ArraySplit } from './arrayDataset.js';
export { KNOWN_DATASETS, type KnownDataset, type KnownFile, knownDataset } from './catalog.js';
export { encodeIdx, gunzip, type IdxArray, isGzip, parseIdx } from './idx.js';
export {
  type ImageDatasetOptions,
  type ImageSplits,
  loadIdxImageDataset,
  loadIdxImages,
} from './imageClassification.js';
export {
  type AvgPoolOptions,
  areaResizeImages,
  avgPoolImages,
  bilinearResizeImages,
  featureMean,
  type ResizeImages,
  unitNormRows,
} from './imageOps.js';
export {
  checkLabelled,
  DataFormatError,
  flattenExamples,
  gatherBatch,
  headOf,
  type LabelledArrays,
  pickExamples,
  selectClasses,
  type TargetArrays,
} from './labelledArrays.js';
