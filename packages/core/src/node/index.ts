/** Node-only parts of @paperlab/core: file store, local datasets, Node backends, plugin discovery. */
export {
  initNodeWebGPU,
  type NodeBackendOptions,
  type NodeWebGPUOptions,
  nodeAutoLoaders,
  nodeBackendLoaders,
} from './backends.js';
export {
  datasetLocations,
  defaultCacheDir,
  type NodeDataOptions,
  nodeDataSources,
  sha256,
} from './dataSources.js';
export { createNodeEnvironment, type NodeEnvironmentOptions } from './environment.js';
export { fetchDataset } from './fetchDataset.js';
export { describeFsError } from './fsErrors.js';
export { FsRunStore, type FsRunStoreOptions, nodeLivenessProbe, writeFileAtomic } from './fsRunStore.js';
export {
  type FoundPlugin,
  findPluginPackages,
  type InstalledPlugins,
  importPlugin,
  loadInstalledPlugins,
  PLUGIN_KEYWORD,
} from './plugins.js';
export {
  configureNodeWasm,
  type NodeWasmSetup,
  WASM_MAX_THREADS,
  wasmThreadsForCores,
} from './wasmThreads.js';
