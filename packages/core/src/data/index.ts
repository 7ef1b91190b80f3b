/** @paperlab/core/data — datasets: the contract, in-memory datasets, the IDX loader and the offline catalog. */
export type { Batch, BatchOptions, Dataset, DatasetMeta, Split } from '../contracts/dataset.js';
export { ArrayDataset, type ArrayDatasetOptions, type ArraySplit } from './arrayDataset.js';
export { KNOWN_DATASETS, type KnownDataset, type KnownFile, knownDataset } from './catalog.js';
export { encodeIdx, gunzip, type IdxArray, isGzip, parseIdx } from './idx.js';
export { type ImageDatasetOptions, loadIdxImageDataset } from './imageClassification.js';
